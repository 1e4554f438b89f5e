// An Ant Design Tooltip that is created on the first hover. A board paints a few hundred of these on its
// cards (flags, countdowns, missing evidence); mounting a Tooltip for each took a quarter of the time from
// the board's data arriving to its cards showing. Until hovered, the child renders alone.
import { cloneElement, useState, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import { Tooltip } from 'antd';

interface Props {
  title: ReactNode;
  /** one element that takes onMouseEnter (a DOM element or an antd Tag). */
  children: ReactElement<{ onMouseEnter?: (e: MouseEvent<HTMLElement>) => void }>;
}

export default function HoverTip({ title, children }: Props) {
  const [armed, setArmed] = useState(false);
  if (armed) {
    // The pointer is already over the child: open at once, then behave as any Tooltip.
    return <Tooltip title={title} defaultOpen>{children}</Tooltip>;
  }
  return cloneElement(children, {
    onMouseEnter: (e: MouseEvent<HTMLElement>) => {
      children.props.onMouseEnter?.(e);
      setArmed(true);
    },
  });
}

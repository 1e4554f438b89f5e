// The lines of a handover sheet: cases and incidents with their most pressing clock.
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HandoverItem } from '../../api';
import { navigate } from '../../shell/route';
import { useNow } from '../../shell/useNow';
import { Countdown } from '../board/CaseCard';

export default function SheetItems({ items }: { items: HandoverItem[] }) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <Table<HandoverItem> size="small" rowKey={(i) => `${i.kind}:${i.id}`} dataSource={items} pagination={false} locale={{ emptyText: t('shift:noItems') }}
      columns={[
        { title: t('shift:kind'), width: 90, render: (_, i) => <Tag color={i.kind === 'incident' ? 'red' : 'blue'}>{t(`shift:itemKind.${i.kind}`, { defaultValue: i.kind })}</Tag> },
        { title: '#', width: 70, render: (_, i) => (i.kind === 'case' ? <a onClick={() => navigate('case', i.id)}>{i.id}</a> : i.id) },
        { title: t('common.level'), width: 70, render: (_, i) => (i.level ? t('common.levelN', { n: i.level }) : '—') },
        { title: t('shift:title'), dataIndex: 'title' },
        { title: t('common.flags'), render: (_, i) => (i.flags ?? []).map((f) => <Tag key={f} color="volcano">{t(`board:flag.${f}`, { defaultValue: f })}</Tag>) },
        { title: t('shift:clock'), width: 170, render: (_, i) => <Countdown d={i.deadline} now={now} /> },
      ]} />
  );
}

// A thin ECharts wrapper: one chart per element, option updates in place, resizes with its box. Only the chart
// types and components the app uses are registered (keeps the bundle smaller than `import 'echarts'`).
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export type EChartOption = echarts.EChartsCoreOption;

export interface EChartHandle {
  /** the chart as a PNG data URL on a white background (for the page export). */
  png: () => string | undefined;
}

const EChart = forwardRef<EChartHandle, { option: EChartOption; height?: number; testId?: string }>(function EChart({ option, height = 280, testId }, ref) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>();
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  useImperativeHandle(ref, () => ({ png: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 1, backgroundColor: '#fff' }) }), []);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
});

export default EChart;

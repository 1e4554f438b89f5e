// The daily review (每日复盘): contacts by type / sub-type / hour / day, level mix, SLA met %, breaches, top
// products and batches, trend alerts, over a date range; export of the figures as CSV and the charts as PNG.
import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, List, Row, Space, Statistic, Table, Tag, Typography, message } from 'antd';
import { DownloadOutlined, FileImageOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, exportsApi, review, type ReviewRange, type ReviewReport } from '../../api';
import EChart, { type EChartHandle, type EChartOption } from '../../shell/EChart';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { exportName, lastDays, utf8Base64 } from './range';

const LEVEL_COLORS = ['#8c8c8c', '#cf1322', '#fa8c16', '#1677ff'];

export default function ReviewView() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { zone } = useWorkspace();
  const [range, setRange] = useState<ReviewRange>(() => lastDays(7, zone));
  const report = useAsync(() => review.get(range), [range.from, range.to]);
  const charts = useRef<Record<string, EChartHandle | null>>({});
  const [busy, setBusy] = useState('');

  const r = report.data;
  const typeName = (ty: string) => t(`board:type.${ty}`, { defaultValue: ty });
  const subName = (st: string) => t(`review:subtype.${st}`, { defaultValue: st });
  const options = useMemo(() => (r ? chartOptions(r, t, typeName, subName) : undefined), [r, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async (kind: 'csv' | 'png') => {
    setBusy(kind);
    try {
      let data: string;
      if (kind === 'csv') {
        data = utf8Base64(await review.csv(range));
      } else {
        data = (await composePng(t('review:title'), `${range.from} – ${range.to} (${zone})`, Object.values(charts.current))).replace(/^data:image\/png;base64,/, '');
      }
      const path = await exportsApi.save(exportName(range, kind), data);
      void message.success(t('review:saved', { path }), 6);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy('');
    }
  };

  return (
    <div className="review" data-testid="review">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('review:title')}</Typography.Title>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range.from), dayjs(range.to)]}
          onChange={(v) => {
            const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
            if (a && b) setRange({ from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') });
          }}
          presets={[
            { label: t('review:today'), value: [dayjs(lastDays(1, zone).from), dayjs(lastDays(1, zone).to)] },
            { label: t('review:days', { n: 7 }), value: [dayjs(lastDays(7, zone).from), dayjs(lastDays(7, zone).to)] },
            { label: t('review:days', { n: 30 }), value: [dayjs(lastDays(30, zone).from), dayjs(lastDays(30, zone).to)] },
          ]}
          data-testid="review-range"
        />
        <Button onClick={report.reload} loading={report.loading}>{t('common.refresh')}</Button>
        <Button icon={<DownloadOutlined />} disabled={!r} loading={busy === 'csv'} onClick={() => void save('csv')} data-testid="export-csv">{t('review:exportCsv')}</Button>
        <Button icon={<FileImageOutlined />} disabled={!r} loading={busy === 'png'} onClick={() => void save('png')} data-testid="export-png">{t('review:exportPng')}</Button>
      </Space>
      {report.error && <Alert type="error" showIcon message={report.error} style={{ marginBottom: 12 }} />}
      {r && options && (
        <>
          <Row gutter={[12, 12]}>
            <Col span={6}><Card size="small"><Statistic title={t('review:contacts')} value={r.contacts} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('review:casesOpened')} value={r.casesOpened} /></Card></Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title={t('review:slaMet')} value={r.sla.clocks ? r.sla.metPct : '—'} precision={r.sla.clocks ? 1 : undefined} suffix={r.sla.clocks ? '%' : ''} data-testid="sla-met" />
                <Typography.Text type="secondary">{r.sla.clocks ? t('review:slaDetail', r.sla) : t('review:noClocks')}</Typography.Text>
              </Card>
            </Col>
            <Col span={6}><Card size="small"><Statistic title={t('review:breaches')} value={r.sla.breached} valueStyle={{ color: r.sla.breached ? '#cf1322' : undefined }} /></Card></Col>
          </Row>
          {(r.alerts ?? []).length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              message={t('review:alerts')}
              data-testid="trend-alerts"
              description={<List size="small" dataSource={r.alerts ?? []} renderItem={(a) => <List.Item><Tag color="orange">{t(`review:alertKind.${a.kind}`, { defaultValue: a.kind })}</Tag>{en ? a.en : a.zh}</List.Item>} />}
            />
          )}
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col span={8}><Card size="small" title={t('review:byType')}><EChart ref={(h) => { charts.current.type = h; }} option={options.byType} testId="chart-type" /></Card></Col>
            <Col span={16}><Card size="small" title={t('review:bySubtype')}><EChart ref={(h) => { charts.current.subtype = h; }} option={options.bySubtype} testId="chart-subtype" /></Card></Col>
            <Col span={12}><Card size="small" title={t('review:byHour', { zone: r.zone })}><EChart ref={(h) => { charts.current.hour = h; }} option={options.byHour} testId="chart-hour" /></Card></Col>
            <Col span={12}><Card size="small" title={t('review:byDay')}><EChart ref={(h) => { charts.current.day = h; }} option={options.byDay} testId="chart-day" /></Card></Col>
            <Col span={8}><Card size="small" title={t('review:levels')}><EChart ref={(h) => { charts.current.levels = h; }} option={options.levels} testId="chart-levels" /></Card></Col>
            <Col span={8}>
              <Card size="small" title={t('review:topProducts')}>
                <Table size="small" pagination={false} rowKey={(p) => p.product} dataSource={r.topProducts ?? []} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                  columns={[{ title: t('review:product'), dataIndex: 'product' }, { title: t('review:cases'), dataIndex: 'cases', width: 70 }]} />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" title={t('review:topBatches')}>
                <Table size="small" pagination={false} rowKey={(p) => `${p.product}/${p.batch}`} dataSource={r.topBatches ?? []} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                  columns={[{ title: t('review:product'), dataIndex: 'product' }, { title: t('review:batch'), dataIndex: 'batch' }, { title: t('review:cases'), dataIndex: 'cases', width: 70 }]} />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}

type T = (k: string, o?: Record<string, unknown>) => string;

/** The chart options of a report; exported for the tests. */
export function chartOptions(r: ReviewReport, t: T, typeName: (s: string) => string, subName: (s: string) => string): Record<string, EChartOption> {
  const tooltip = { trigger: 'item' };
  const subs = [...(r.bySubtype ?? [])].sort((a, b) => a.count - b.count);
  return {
    byType: {
      tooltip,
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: (r.byType ?? []).map((c) => ({ name: typeName(c.type), value: c.count })) }],
    },
    bySubtype: {
      tooltip: { trigger: 'axis' },
      grid: { left: 200, right: 24, top: 10, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: subs.map((c) => subName(c.subtype ?? '')) },
      series: [
        { type: 'bar', name: t('review:current'), data: subs.map((c) => c.count), itemStyle: { color: '#1f5fbf' } },
        { type: 'bar', name: t('review:previous'), data: subs.map((c) => c.previous), itemStyle: { color: '#bfbfbf' } },
      ],
    },
    byHour: {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 10, bottom: 30 },
      xAxis: { type: 'category', data: r.byHour.map((_, h) => `${h}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: r.byHour, itemStyle: { color: '#13a8a8' } }],
    },
    byDay: {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 10, bottom: 30 },
      xAxis: { type: 'category', data: (r.byDay ?? []).map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', smooth: true, areaStyle: {}, data: (r.byDay ?? []).map((d) => d.count) }],
    },
    levels: {
      tooltip,
      legend: { bottom: 0 },
      series: [{
        type: 'pie', radius: '60%',
        data: (r.levels ?? []).map((l) => ({
          name: l.level === 0 ? t('common.level0') : t('common.levelN', { n: l.level }), value: l.count, itemStyle: { color: LEVEL_COLORS[l.level] },
        })),
      }],
    },
  };
}

/** One PNG of the page's charts, stacked under a title line. */
async function composePng(title: string, subtitle: string, handles: (EChartHandle | null)[]): Promise<string> {
  const images = await Promise.all(
    handles.map((h) => h?.png()).filter((u): u is string => !!u).map(
      (src) => new Promise<HTMLImageElement>((ok, fail) => { const im = new Image(); im.onload = () => ok(im); im.onerror = fail; im.src = src; }),
    ),
  );
  const width = Math.max(800, ...images.map((i) => i.width)) + 40;
  const height = 80 + images.reduce((s, i) => s + i.height + 20, 0);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('canvas 2D is not available');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#222';
  g.font = 'bold 22px sans-serif';
  g.fillText(title, 20, 34);
  g.font = '14px sans-serif';
  g.fillText(subtitle, 20, 60);
  let y = 80;
  for (const im of images) {
    g.drawImage(im, 20, y);
    y += im.height + 20;
  }
  return canvas.toDataURL('image/png');
}

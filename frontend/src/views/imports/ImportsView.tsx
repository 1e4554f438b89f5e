// File imports: choose a file and preset, adjust the column mapping against a live preview (good and bad rows),
// import, and see past imports with their problem rows and an undo for each. The backend reads the file,
// validates every row, de-duplicates and audits; this view only collects choices and shows results.
import { useState } from 'react';
import { Alert, Button, Card, Input, Popconfirm, Select, Space, Steps, Table, Tag, Typography, message } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  imports, type ImportField, type ImportPreview, type ImportRecord, type ImportReport, type ImportRowRecord, type Mapping, type ParsedRow,
} from '../../api';
import { useAction } from '../../shell/useAction';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import type { ViewProps } from '../registry';

export default function ImportsView(_: ViewProps) {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const meta = useAsync(() => imports.presets(), []);
  const history = useAsync(() => imports.list(), []);
  const [path, setPath] = useState('');
  const [preset, setPreset] = useState('');
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [preview, setPreview] = useState<ImportPreview>();
  const [report, setReport] = useState<ImportReport>();
  const { busy, error, run: guard } = useAction();
  const [badOf, setBadOf] = useState<{ id: number; rows: ImportRowRecord[] }>();

  const loadPreview = (p: string, pr: string, m: Mapping | null) => guard(async () => {
    const pv = await imports.preview({ path: p, preset: pr, mapping: m });
    setPreview(pv);
    setPreset(pv.preset);
    setMapping(pv.mapping);
    setReport(undefined);
  });
  const choose = () => guard(async () => {
    const p = await imports.chooseFile();
    if (!p) return;
    setPath(p);
    setMapping(null);
    await loadPreview(p, preset, null);
  });
  const setColumn = (field: ImportField, column: string | undefined) => {
    const m: Mapping = { ...(mapping ?? {}) };
    if (column) m[field] = column;
    else delete m[field];
    void loadPreview(path, preset, m);
  };
  const run = () => guard(async () => {
    const rep = await imports.run({ path, preset, mapping });
    setReport(rep);
    history.reload();
  });
  const undo = (im: ImportRecord) => guard(async () => {
    const r = await imports.undo(im.id);
    void message.success(t('imports:undone', { rows: r.rows, removed: r.cases_removed, kept: r.cases_kept }));
    history.reload();
  });
  const showBad = (id: number) => guard(async () => setBadOf({ id, rows: await imports.rows(id, 'bad') }));

  const fields = meta.data?.fields ?? [];
  const columnOptions = [{ value: '', label: t('imports:unmapped') }, ...(preview?.header ?? []).map((h) => ({ value: h, label: h }))];
  const step = report ? 2 : preview ? 1 : 0;

  return (
    <div data-testid="imports-view">
      <Typography.Title level={4}>{t('imports:title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('imports:intro')}</Typography.Paragraph>
      <Steps size="small" current={step} style={{ marginBottom: 16, maxWidth: 640 }}
        items={[{ title: t('imports:step.file') }, { title: t('imports:step.mapping') }, { title: t('imports:step.report') }]} />
      {(error || meta.error) && <Alert type="error" showIcon message={error || meta.error} style={{ marginBottom: 12 }} data-testid="imports-error" />}
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<UploadOutlined />} onClick={() => void choose()} loading={busy} data-testid="choose-file">{t('imports:choose')}</Button>
        <Input style={{ width: 420 }} placeholder={t('imports:path')} value={path} onChange={(e) => setPath(e.target.value)}
          onPressEnter={() => path && void loadPreview(path, preset, null)} data-testid="import-path" />
        <Select style={{ width: 280 }} value={preset} data-testid="import-preset"
          options={[{ value: '', label: t('imports:guess') }, ...(meta.data?.presets ?? []).map((p) => ({ value: p.name, label: p.label }))]}
          onChange={(v) => { setPreset(v); if (path) void loadPreview(path, v, null); }} />
        <Button onClick={() => void loadPreview(path, preset, mapping)} disabled={!path} data-testid="preview">{t('imports:previewBtn')}</Button>
      </Space>

      {preview && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Typography.Paragraph data-testid="preview-summary">
            {t('imports:summary', { format: preview.format.toUpperCase(), encoding: preview.encoding, total: preview.total, good: preview.good, bad: preview.bad })}
          </Typography.Paragraph>
          {preview.mapping_error && <Alert type="warning" showIcon message={preview.mapping_error} style={{ marginBottom: 12 }} />}
          <Typography.Text strong>{t('imports:mapping')}</Typography.Text>
          <Table<{ field: ImportField }>
            rowKey="field" size="small" pagination={false} style={{ maxWidth: 640, margin: '8px 0 16px' }}
            dataSource={fields.map((f) => ({ field: f }))}
            columns={[
              { title: t('imports:field'), dataIndex: 'field', render: (f: ImportField) => t(`imports:fields.${f}`) },
              {
                title: t('imports:column'), dataIndex: 'field',
                render: (f: ImportField) => (
                  <Select size="small" style={{ width: 260 }} value={preview.mapping[f] ?? ''} options={columnOptions}
                    onChange={(v: string) => setColumn(f, v || undefined)} data-testid={`map-${f}`} />
                ),
              },
            ]}
          />
          <RowsTable rows={preview.rows} zone={ws.zone} />
          {preview.bad_rows.length > 0 && (
            <>
              <Typography.Text strong>{t('imports:badRows')}</Typography.Text>
              <BadRows rows={preview.bad_rows.map((r) => ({ row: r.row, reason: r.error ?? '' }))} />
            </>
          )}
          <Button type="primary" onClick={() => void run()} loading={busy} disabled={!!preview.mapping_error || preview.good === 0} data-testid="run-import">
            {t('imports:run', { n: preview.good })}
          </Button>
        </Card>
      )}

      {report && (
        <Alert type={report.bad > 0 ? 'warning' : 'success'} showIcon style={{ marginBottom: 16 }} data-testid="import-report"
          message={t('imports:done', { id: report.import_id, imported: report.imported, newCases: report.new_cases, duplicate: report.duplicate, bad: report.bad })}
          description={report.bad_rows.length > 0 ? <BadRows rows={report.bad_rows} /> : undefined} />
      )}

      <Typography.Title level={5}>{t('imports:history')}</Typography.Title>
      <Table<ImportRecord>
        rowKey="id" size="small" loading={history.loading} dataSource={history.data ?? []} pagination={{ pageSize: 20 }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('imports:when'), dataIndex: 'created_at', render: (v: string) => formatTime(v, ws.zone) },
          { title: t('imports:file'), dataIndex: 'filename' },
          { title: t('imports:preset'), dataIndex: 'preset' },
          { title: t('imports:rows'), dataIndex: 'rows_total' },
          { title: t('imports:imported'), dataIndex: 'rows_imported' },
          { title: t('imports:duplicate'), dataIndex: 'rows_duplicate' },
          {
            title: t('imports:bad'), dataIndex: 'rows_bad',
            render: (n: number, im) => (n > 0 ? <Button size="small" type="link" onClick={() => void showBad(im.id)}>{n}</Button> : n),
          },
          { title: t('imports:by'), dataIndex: 'created_by' },
          { title: t('common.status'), dataIndex: 'status', render: (s: 'done' | 'undone') => <Tag color={s === 'done' ? 'green' : 'default'}>{t(`imports:status.${s}`)}</Tag> },
          {
            key: 'undo',
            render: (_: unknown, im) => im.status === 'done' && (
              <Popconfirm title={t('imports:undoConfirm')} onConfirm={() => void undo(im)}>
                <Button size="small" danger data-testid={`undo-${im.id}`}>{t('imports:undo')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {badOf && (
        <Card size="small" title={`${t('imports:badRows')} #${badOf.id}`} extra={<Button size="small" onClick={() => setBadOf(undefined)}>{t('common.cancel')}</Button>}>
          <BadRows rows={badOf.rows.map((r) => ({ row: r.row, reason: r.reason }))} />
        </Card>
      )}
    </div>
  );
}

function RowsTable({ rows, zone }: { rows: ParsedRow[]; zone: string }) {
  const { t } = useTranslation();
  return (
    <Table<ParsedRow>
      rowKey="row" size="small" pagination={false} style={{ marginBottom: 16 }} dataSource={rows} data-testid="preview-rows"
      columns={[
        { title: t('imports:row'), dataIndex: 'row', width: 60 },
        { title: t('imports:fields.subject'), render: (_: unknown, r) => r.fields.subject ?? r.fields.work_order_no ?? '' },
        { title: t('imports:fields.body'), render: (_: unknown, r) => (r.fields.body ?? '').slice(0, 60) },
        { title: t('imports:fields.customer_name'), render: (_: unknown, r) => r.fields.customer_name ?? '' },
        { title: t('imports:fields.created_at'), render: (_: unknown, r) => formatTime(r.created_at, zone) },
        { title: t('imports:state'), render: (_: unknown, r) => (r.error ? <Tag color="red">{r.error}</Tag> : <Tag color="green">{t('imports:ok')}</Tag>) },
      ]}
    />
  );
}

function BadRows({ rows }: { rows: { row: number; reason: string }[] }) {
  const { t } = useTranslation();
  return (
    <Table rowKey="row" size="small" pagination={false} dataSource={rows} style={{ margin: '8px 0 16px' }} data-testid="bad-rows"
      columns={[{ title: t('imports:row'), dataIndex: 'row', width: 60 }, { title: t('imports:reason'), dataIndex: 'reason' }]} />
  );
}

// The case's evidence folder: originals with their SHA-256, preview (masked for supervisors), chain of custody,
// redacted copies, integrity check and the ZIP export for the regulator.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, List, Space, Table, Tag, Timeline, Typography, message } from 'antd';
import { CloudDownloadOutlined, FileProtectOutlined, InboxOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText, subscribe } from '../../api';
import { evidenceApi, type EvidenceItem, type VerifyReport } from '../../api/legal';
import { formatTime } from '../../shell/format';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import type { CaseTabProps } from '../caseTabs';
import PreviewPane from './PreviewPane';
import './evidence.css';

export function humanSize(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}

/** Reads a File as base64 (what Wails carries for []byte). */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export default function EvidenceTab({ caseId }: CaseTabProps) {
  const { t } = useTranslation();
  const { zone, role } = useWorkspace();
  const list = useAsync(() => evidenceApi.list(caseId), [caseId]);
  const [open, setOpen] = useState<EvidenceItem>();
  const [report, setReport] = useState<VerifyReport>();
  const [busy, setBusy] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const legal = role === 'legal' || role === 'manager';
  useEffect(() => subscribe(['evidence:changed'], list.reload), [list.reload]);

  const run = async (key: string, fn: () => Promise<string | undefined>) => {
    setBusy(key);
    try {
      const msg = await fn();
      if (msg) void message.success(msg);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy('');
    }
  };

  const addFiles = (files: FileList | null) =>
    run('add', async () => {
      const names: string[] = [];
      for (const f of Array.from(files ?? [])) {
        await evidenceApi.add(caseId, f.name, await toBase64(f));
        names.push(f.name);
      }
      list.reload();
      return names.length ? t('evidence:added', { name: names.join(', ') }) : undefined;
    });

  const items = list.data ?? [];
  return (
    <div data-testid="evidence-tab">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<InboxOutlined />} loading={busy === 'collect'} data-testid="evidence-collect"
          onClick={() => run('collect', async () => { const n = await evidenceApi.collect(caseId); list.reload(); return t('evidence:collected', { n }); })}>
          {t('evidence:collect')}
        </Button>
        <Button icon={<UploadOutlined />} loading={busy === 'add'} onClick={() => fileInput.current?.click()} data-testid="evidence-add">
          {t('evidence:add')}
        </Button>
        <input ref={fileInput} type="file" multiple hidden data-testid="evidence-file" onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} />
        <Button icon={<SafetyCertificateOutlined />} loading={busy === 'verify'} data-testid="evidence-verify"
          onClick={() => run('verify', async () => { setReport(await evidenceApi.verify(caseId)); return undefined; })}>
          {t('evidence:verify')}
        </Button>
        {legal && (
          <Button icon={<CloudDownloadOutlined />} loading={busy === 'zip'} disabled={items.length === 0} data-testid="evidence-export"
            onClick={() => run('zip', async () => { const p = await evidenceApi.exportZip(caseId); return p ? t('evidence:exported', { path: p }) : undefined; })}>
            {t('evidence:exportZip')}
          </Button>
        )}
      </Space>
      {report && (
        <Alert style={{ marginBottom: 12 }} closable onClose={() => setReport(undefined)} data-testid="verify-report"
          type={report.problems.length ? 'error' : 'success'} showIcon
          message={report.problems.length ? t('evidence:verifyBad', { n: report.problems.length }) : t('evidence:verifyOk', { items: report.items, entries: report.entries })}
          description={report.problems.length > 0 && (
            <List size="small" dataSource={report.problems} renderItem={(p) => (
              <List.Item>
                <Tag color="red">{t(`evidence:problem.${p.kind}`)}</Tag> E{p.item_id} {p.filename}
                {p.seq ? ` #${p.seq}` : ''} <Typography.Text type="secondary">{p.detail}</Typography.Text>
              </List.Item>
            )} />
          )} />
      )}
      {list.error && <Alert type="error" showIcon message={list.error} />}
      <Table<EvidenceItem> size="small" rowKey="id" loading={list.loading} dataSource={items} pagination={false}
        locale={{ emptyText: <Empty description={t('evidence:empty')} /> }}
        onRow={(it) => ({ onDoubleClick: () => setOpen(it) })}
        columns={[
          { title: t('evidence:col.id'), dataIndex: 'id', width: 64, render: (id: number) => `E${id}` },
          { title: t('evidence:col.name'), dataIndex: 'filename', render: (name: string, it) => (
            <Space direction="vertical" size={0}>
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(it)} data-testid={`evidence-open-${it.id}`}>{name}</Button>
              {it.derived_from ? <Typography.Text type="secondary">{t('evidence:derived', { id: it.derived_from })}</Typography.Text> : null}
            </Space>
          ) },
          { title: t('evidence:col.type'), dataIndex: 'kind', width: 110, render: (k: string, it) => <Tag title={it.content_type}>{t(`evidence:kind.${k}`)}</Tag> },
          { title: t('evidence:col.size'), dataIndex: 'size', width: 90, render: humanSize },
          { title: t('evidence:col.captured'), dataIndex: 'captured_at', width: 170, render: (at: string, it) => `${formatTime(at, zone)} ${it.captured_by}` },
          { title: t('evidence:col.hash'), dataIndex: 'sha256', render: (h: string) => <Typography.Text code copyable={{ text: h }}>{h.slice(0, 16)}…</Typography.Text> },
        ]} />
      <Drawer width={720} open={open !== undefined} onClose={() => setOpen(undefined)} destroyOnHidden
        title={open && <Space><FileProtectOutlined />{`E${open.id} ${open.filename}`}</Space>}>
        {open && (
          <EvidenceDetail item={open} legal={legal} onRedacted={(id) => { list.reload(); void message.success(t('evidence:redacted', { id })); }} />
        )}
      </Drawer>
    </div>
  );
}

function EvidenceDetail({ item, legal, onRedacted }: { item: EvidenceItem; legal: boolean; onRedacted: (id: number) => void }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  const preview = useAsync(() => evidenceApi.preview(item.id), [item.id]);
  // The custody log is read after the preview, so it already shows this viewing.
  const custody = useAsync(() => (preview.data ? evidenceApi.custody(item.id) : Promise.resolve([])), [item.id, preview.data]);
  const textual = item.content_type.startsWith('text/') || item.content_type.startsWith('message/');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered items={[
        { key: 'hash', label: 'SHA-256', children: <Typography.Text code copyable>{item.sha256}</Typography.Text> },
        { key: 'type', label: t('evidence:col.type'), children: `${item.content_type} · ${humanSize(item.size)}` },
        { key: 'source', label: t('evidence:col.source'), children: item.source },
        { key: 'captured', label: t('evidence:col.captured'), children: `${formatTime(item.captured_at, zone)} ${item.captured_by}` },
      ]} />
      <Space>
        {textual && item.kind !== 'redacted' && (
          <Button data-testid="evidence-redact" onClick={() => evidenceApi.redact(item.id).then((c) => onRedacted(c.id), (e: unknown) => void message.error(errorText(e)))}>
            {t('evidence:redact')}
          </Button>
        )}
        {legal && (
          <Button onClick={() => evidenceApi.saveCopy(item.id).then((p) => p && void message.success(t('evidence:saved', { path: p })), (e: unknown) => void message.error(errorText(e)))}>
            {t('evidence:saveCopy')}
          </Button>
        )}
      </Space>
      <Typography.Title level={5}>{t('evidence:preview')}</Typography.Title>
      {preview.error ? <Alert type="error" showIcon message={preview.error} /> : <PreviewPane preview={preview.data} />}
      <Typography.Title level={5}>{t('evidence:custody')}</Typography.Title>
      <Timeline data-testid="custody-log" items={(custody.data ?? []).map((c) => ({
        key: c.id,
        children: (
          <span>
            {formatTime(c.at, zone, 'YYYY-MM-DD HH:mm:ss')} · {c.actor} · <b>{t(`evidence:action.${c.action}`)}</b>{' '}
            <Typography.Text type="secondary" code>{c.hash.slice(0, 12)}</Typography.Text>
          </span>
        ),
      }))} />
    </Space>
  );
}

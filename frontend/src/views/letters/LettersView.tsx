// Regulator letters: scan the letters folders, review what was read from each file (text, or "no text" for a
// scan), correct the proposed work-order number, office, dates, and file the letter into a case or a new
// regulator matter. The backend keeps the original, checks the role and audits the decision.
import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography, Upload, message } from 'antd';
import { FolderOpenOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { errorText, letters, subscribe, type Letter } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import type { ViewProps } from '../registry';

type Tab = 'proposed' | 'filed' | 'dismissed';

interface ConfirmForm {
  work_order_no: string;
  office: string;
  received: string;
  deadline: string;
  target: 'new' | 'case';
  case_id?: number;
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

/** A YYYY-MM-DD typed in the workspace zone as the UTC instant the backend stores (end of day for a deadline). */
export function zoneDate(day: string, zone: string, endOfDay: boolean): string | null {
  if (!day.trim()) return null;
  const d = dayjs.tz(day.trim(), 'YYYY-MM-DD', zone);
  if (!d.isValid()) return null;
  return (endOfDay ? d.endOf('day') : d.startOf('day')).millisecond(0).toISOString();
}

export default function LettersView(_: ViewProps) {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const canDecide = ws.role === 'legal' || ws.role === 'manager';
  const [tab, setTab] = useState<Tab>('proposed');
  const list = useAsync(() => letters.list(tab), [tab]);
  const sources = useAsync(() => letters.sources(), []);
  const [open, setOpen] = useState<Letter>();
  const [adding, setAdding] = useState(false);
  const [dismissing, setDismissing] = useState<Letter>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const { reload } = list;
  useEffect(() => subscribe(['letters:changed'], reload), [reload]);
  const [folderForm] = Form.useForm<{ name: string; folder: string }>();
  const [dropInto, setDropInto] = useState<number>();
  const dropSource = dropInto ?? sources.data?.[0]?.id;
  const upload = (file: File) => {
    void guard(async () => {
      if (!dropSource) return;
      const f = await letters.addUpload(dropSource, file.name, await toBase64(file));
      if (f.error) throw new Error(`${f.name}: ${f.error}`);
      list.reload();
    });
    return false; // the backend stores the file; antd must not upload it anywhere
  };

  const guard = async (fn: () => Promise<void>) => {
    setError('');
    setBusy(true);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const scan = () => guard(async () => {
    const found = await letters.scan();
    void message.info(t('letters:scanned', { n: found.filter((f) => f.new).length }));
    list.reload();
  });
  const fileLetter = (l: Letter, v: ConfirmForm) => guard(async () => {
    const out = await letters.file(l.id, {
      work_order_no: v.work_order_no ?? '', office: v.office ?? '',
      received_on: zoneDate(v.received ?? '', ws.zone, false), deadline: zoneDate(v.deadline ?? '', ws.zone, true),
      case_id: v.target === 'case' ? v.case_id ?? 0 : 0, new_matter: v.target === 'new',
    });
    void message.success(t('letters:filed', { id: out.case_id }));
    setOpen(undefined);
    list.reload();
  });

  return (
    <div data-testid="letters-view">
      <Typography.Title level={4}>{t('letters:title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('letters:intro')}</Typography.Paragraph>
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }} wrap>
        <Button icon={<ReloadOutlined />} onClick={() => void scan()} loading={busy} data-testid="scan-letters">{t('letters:scan')}</Button>
        {canDecide && <Button icon={<FolderOpenOutlined />} onClick={() => setAdding(true)} data-testid="add-folder">{t('letters:addFolder')}</Button>}
        {(sources.data ?? []).map((s) => <Tag key={s.id}>{s.name}</Tag>)}
        {sources.data?.length === 0 && <Typography.Text type="secondary">{t('letters:noFolder')}</Typography.Text>}
      </Space>
      {dropSource !== undefined && (
        <Space.Compact block style={{ marginBottom: 12 }}>
          {(sources.data?.length ?? 0) > 1 && (
            <Select style={{ width: 200 }} value={dropSource} onChange={setDropInto}
              options={(sources.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
          )}
          <Upload.Dragger multiple showUploadList={false} beforeUpload={upload} style={{ flex: 1 }} data-testid="letters-drop">
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p>{t('letters:drop')}</p>
          </Upload.Dragger>
        </Space.Compact>
      )}
      {!canDecide && <Alert type="info" message={t('letters:readOnly')} style={{ marginBottom: 12 }} />}
      <Tabs activeKey={tab} onChange={(k) => setTab(k as Tab)}
        items={(['proposed', 'filed', 'dismissed'] as Tab[]).map((k) => ({ key: k, label: t(`letters:tab.${k}`) }))} />
      <Table<Letter>
        rowKey="id" size="small" loading={list.loading} dataSource={list.data ?? []} pagination={{ pageSize: 50 }} data-testid="letters-table"
        onRow={(l) => ({ onClick: () => setOpen(l), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('letters:file'), dataIndex: 'filename' },
          { title: t('letters:text'), dataIndex: 'text_status', render: (s: Letter['text_status']) => <Tag color={s === 'text' ? 'green' : s === 'no_text' ? 'orange' : 'red'}>{t(`letters:textStatus.${s}`)}</Tag> },
          { title: t('letters:workOrder'), dataIndex: 'work_order_no' },
          { title: t('letters:office'), dataIndex: 'office' },
          { title: t('letters:received'), dataIndex: 'received_on', render: (v?: string) => formatTime(v, ws.zone, 'YYYY-MM-DD') },
          { title: t('letters:deadline'), dataIndex: 'stated_deadline', render: (v: string | undefined, l) => formatTime(v, ws.zone) || l.deadline_text },
          { title: t('letters:case'), dataIndex: 'case_id', render: (id: number) => (id ? <a href={`#/case/${id}`}>#{id}</a> : '') },
        ]}
      />
      <Drawer open={!!open} width={640} title={open?.filename} onClose={() => setOpen(undefined)} destroyOnHidden>
        {open && (
          <>
            {open.note && <Alert type={open.text_status === 'text' ? 'info' : 'warning'} message={open.note} style={{ marginBottom: 12 }} />}
            <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('letters:deadlineText')}>{open.deadline_text || '-'}</Descriptions.Item>
              <Descriptions.Item label="SHA-256"><Typography.Text code>{open.sha256.slice(0, 16)}…</Typography.Text></Descriptions.Item>
            </Descriptions>
            {open.status === 'proposed' && canDecide && (
              <Form<ConfirmForm> layout="vertical" onFinish={(v) => void fileLetter(open, v)} data-testid="confirm-form"
                initialValues={{ work_order_no: open.work_order_no, office: open.office, target: 'new',
                  received: formatTime(open.received_on, ws.zone, 'YYYY-MM-DD'), deadline: formatTime(open.stated_deadline, ws.zone, 'YYYY-MM-DD') }}>
                <Typography.Title level={5}>{t('letters:confirm')}</Typography.Title>
                <Form.Item name="work_order_no" label={t('letters:workOrder')}><Input /></Form.Item>
                <Form.Item name="office" label={t('letters:office')}><Input /></Form.Item>
                <Space>
                  <Form.Item name="received" label={t('letters:received')}><Input placeholder="YYYY-MM-DD" /></Form.Item>
                  <Form.Item name="deadline" label={t('letters:deadline')}><Input placeholder="YYYY-MM-DD" /></Form.Item>
                </Space>
                <Form.Item name="target" label={t('letters:target')}>
                  <Radio.Group options={[{ value: 'new', label: t('letters:newMatter') }, { value: 'case', label: t('letters:existing') }]} />
                </Form.Item>
                <Form.Item noStyle shouldUpdate={(a, b) => a.target !== b.target}>
                  {({ getFieldValue }) => getFieldValue('target') === 'case' && (
                    <Form.Item name="case_id" label={t('letters:existing')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>
                  )}
                </Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" loading={busy} data-testid="file-letter">{t('letters:fileBtn')}</Button>
                  <Button danger onClick={() => setDismissing(open)}>{t('letters:dismiss')}</Button>
                </Space>
              </Form>
            )}
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 16 }} data-testid="letter-text">{open.text}</Typography.Paragraph>
          </>
        )}
      </Drawer>
      <Modal open={adding} title={t('letters:addFolder')} footer={null} onCancel={() => setAdding(false)} destroyOnHidden>
        <Form<{ name: string; folder: string }> form={folderForm} layout="vertical"
          onFinish={async (v) => { if (await guard(async () => { await letters.addFolder(v.name, v.folder); sources.reload(); list.reload(); })) setAdding(false); }}>
          <Form.Item name="name" label={t('letters:folderName')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="folder" label={t('letters:folder')} rules={[{ required: true }]}>
            <Input addonAfter={<FolderOpenOutlined data-testid="pick-folder"
              onClick={() => void guard(async () => { const f = await letters.chooseFolder(); if (f) folderForm.setFieldValue('folder', f); })} />} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>{t('common.save')}</Button>
        </Form>
      </Modal>
      <Modal open={!!dismissing} title={t('letters:dismiss')} footer={null} onCancel={() => setDismissing(undefined)} destroyOnHidden>
        <Form<{ reason: string }> layout="vertical"
          onFinish={async (v) => {
            if (dismissing && await guard(async () => { await letters.dismiss(dismissing.id, v.reason); list.reload(); })) {
              setDismissing(undefined);
              setOpen(undefined);
            }
          }}>
          <Form.Item name="reason" label={t('letters:dismissReason')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Button type="primary" danger htmlType="submit" block>{t('letters:dismiss')}</Button>
        </Form>
      </Modal>
    </div>
  );
}

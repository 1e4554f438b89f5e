// The order-number patterns that link mail to cases (issue 3): a platform name and an expression whose
// first capture group is the number, tried in order. Managers and admins edit, reorder, try them on a
// sample text and save (audited); everyone else reads them. The backend validates and enforces the roles.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography, message } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { orderPatterns, subscribe, type OrderPattern, type OrderRef } from '../../api';
import { useAction } from '../../shell/useAction';
import { useAsync } from '../../shell/useAsync';

interface Props {
  canEdit: boolean;
}

interface Row extends OrderPattern {
  key: number;
}

let nextKey = 1;
const rows = (ps: OrderPattern[]): Row[] => ps.map((p) => ({ ...p, key: nextKey++ }));
const plain = (rs: Row[]): OrderPattern[] => rs.map(({ platform, regexp }) => ({ platform: platform.trim(), regexp }));

export default function OrderPatternsCard({ canEdit }: Props) {
  const { t } = useTranslation();
  const saved = useAsync(() => orderPatterns.get(), []);
  const reload = saved.reload;
  useEffect(() => subscribe(['orderpatterns:changed'], reload), [reload]);
  const [draft, setDraft] = useState<Row[]>();
  const [sample, setSample] = useState('');
  const [found, setFound] = useState<OrderRef[]>();
  const { busy, error, run } = useAction();
  useEffect(() => {
    if (saved.data) setDraft(rows(saved.data.patterns));
  }, [saved.data]);

  const list = draft ?? [];
  const dirty = !!saved.data && JSON.stringify(plain(list)) !== JSON.stringify(saved.data.patterns);
  const edit = (key: number, patch: Partial<OrderPattern>) => setDraft(list.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const next = [...list];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setDraft(next);
  };
  const tryOut = () => run(async () => setFound(await orderPatterns.test(plain(list), sample)));
  const save = () => run(async () => {
    await orderPatterns.save(plain(list));
    void message.success(t('sources:patterns.saved'));
    reload();
  });
  const reset = () => run(async () => {
    await orderPatterns.save([]);
    void message.success(t('sources:patterns.resetDone'));
    reload();
  });

  return (
    <Card size="small" style={{ marginTop: 16 }} data-testid="order-patterns"
      title={<Space>{t('sources:patterns.title')}{saved.data && <Tag color={saved.data.custom ? 'blue' : 'default'}>{t(saved.data.custom ? 'sources:patterns.custom' : 'sources:patterns.builtin')}</Tag>}</Space>}>
      <Typography.Paragraph type="secondary">{t('sources:patterns.help')}</Typography.Paragraph>
      {(error || saved.error) && <Alert type="error" showIcon message={error || saved.error} style={{ marginBottom: 12 }} data-testid="patterns-error" />}
      <Table<Row>
        rowKey="key" size="small" pagination={false} loading={saved.loading} dataSource={list}
        columns={[
          { title: '#', key: 'n', width: 40, render: (_: unknown, __: Row, i: number) => i + 1 },
          {
            title: t('sources:patterns.platform'), dataIndex: 'platform', width: 160,
            render: (v: string, r) => (canEdit ? <Input value={v} onChange={(e) => edit(r.key, { platform: e.target.value })} data-testid={`pattern-platform-${list.indexOf(r)}`} /> : v),
          },
          {
            title: t('sources:patterns.regexp'), dataIndex: 'regexp',
            render: (v: string, r) => (canEdit
              ? <Input value={v} onChange={(e) => edit(r.key, { regexp: e.target.value })} style={{ fontFamily: 'monospace' }} data-testid={`pattern-regexp-${list.indexOf(r)}`} />
              : <Typography.Text code>{v}</Typography.Text>),
          },
          ...(canEdit ? [{
            key: 'actions', width: 120,
            render: (_: unknown, r: Row, i: number) => (
              <Space size={2}>
                <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('sources:patterns.up')} />
                <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === list.length - 1} onClick={() => move(i, 1)} aria-label={t('sources:patterns.down')} />
                <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => setDraft(list.filter((x) => x.key !== r.key))}
                  aria-label={t('sources:patterns.delete')} data-testid={`pattern-delete-${i}`} />
              </Space>
            ),
          }] : []),
        ]}
      />
      {canEdit && (
        <>
          <Space style={{ marginTop: 8 }} wrap>
            <Button size="small" icon={<PlusOutlined />} onClick={() => setDraft([...list, ...rows([{ platform: '', regexp: '' }])])} data-testid="pattern-add">
              {t('sources:patterns.add')}
            </Button>
            <Button size="small" type="primary" disabled={!dirty} loading={busy} onClick={() => void save()} data-testid="patterns-save">{t('sources:patterns.save')}</Button>
            <Button size="small" disabled={!dirty} onClick={() => saved.data && setDraft(rows(saved.data.patterns))}>{t('sources:patterns.discard')}</Button>
            {saved.data?.custom && (
              <Popconfirm title={t('sources:patterns.resetConfirm')} onConfirm={() => void reset()}>
                <Button size="small" data-testid="patterns-reset">{t('sources:patterns.reset')}</Button>
              </Popconfirm>
            )}
          </Space>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('sources:patterns.tryTitle')}</Typography.Title>
          <Input.TextArea rows={3} value={sample} onChange={(e) => setSample(e.target.value)} placeholder={t('sources:patterns.samplePlaceholder')} data-testid="patterns-sample" />
          <Space style={{ marginTop: 8 }} wrap>
            <Button size="small" onClick={() => void tryOut()} disabled={!sample.trim()} loading={busy} data-testid="patterns-try">{t('sources:patterns.try')}</Button>
            {found && (
              <span data-testid="patterns-found">
                {found.length === 0
                  ? <Typography.Text type="secondary">{t('sources:patterns.none')}</Typography.Text>
                  : found.map((o) => <Tag key={o.platform + o.no} color="geekblue">{o.platform}: {o.no}</Tag>)}
              </span>
            )}
          </Space>
        </>
      )}
    </Card>
  );
}

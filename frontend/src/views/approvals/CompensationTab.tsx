// The Compensation tab of the case workspace: the case's requests with their decisions and execution, a
// request form, and the statutory damages calculators with every exception shown next to the figure (the
// seed manuals forbid promising amounts outside official channels, so the figure is never the whole story).
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, List, Radio, Row, Select, Space, Table, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  approvals, compTypes, errorText, formatYuan, parseYuan, subscribe,
  type CalcInput, type Calculation, type CompRequest, type CompType,
} from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import type { CaseTabProps } from '../caseTabs';
import { Amount, Decisions, StatusTag } from './parts';

interface RequestForm {
  type: CompType;
  amount: string;
  reason: string;
  shift?: string;
  evidence?: string;
}

export default function CompensationTab({ caseId, onChanged }: CaseTabProps) {
  const { t, i18n } = useTranslation();
  const ws = useWorkspace();
  const list = useAsync(() => approvals.forCase(caseId), [caseId]);
  useEffect(() => subscribe(['compensation:changed'], list.reload), [list.reload]);
  const [form] = Form.useForm<RequestForm>();
  const [error, setError] = useState('');
  const [calc, setCalc] = useState<Calculation>();
  const [calcIn, setCalcIn] = useState<CalcInput>({ rule: 'cpl55', price: '', loss: '' });
  const [calcError, setCalcError] = useState('');
  const [fromCalc, setFromCalc] = useState<CalcInput | null>(null);
  const canRequest = ws.role === 'supervisor' || ws.role === 'manager' || ws.role === 'legal';
  // Only the requester may withdraw (the backend enforces it); the button shows on their own rows only.
  const myName = ws.user?.username;

  const submit = async (v: RequestForm) => {
    setError('');
    try {
      await approvals.submit({
        caseId, type: v.type, amount: v.amount, reason: v.reason, shift: v.shift ?? '',
        evidence: (v.evidence ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
        calc: v.type === 'statutory_damages' ? fromCalc : null,
      });
      void message.success(t('approvals:comp.submitted'));
      form.resetFields();
      setFromCalc(null);
      list.reload();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const runCalc = async () => {
    setCalcError('');
    try {
      setCalc(await approvals.calc(calcIn));
    } catch (e) {
      setCalc(undefined);
      setCalcError(errorText(e));
    }
  };
  const useCalc = () => {
    if (!calc) return;
    form.setFieldsValue({ type: 'statutory_damages', amount: formatYuan(calc.amountFen) });
    setFromCalc(calcIn);
  };
  const cancel = async (r: CompRequest) => {
    try {
      await approvals.cancel(r.id, '');
      list.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div data-testid="compensation-tab">
      <Alert type="warning" showIcon message={t('approvals:comp.noPromise')} style={{ marginBottom: 12 }} />
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} data-testid="comp-error" />}
      <Table<CompRequest>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: t('approvals:comp.none') }}
        columns={[
          { title: t('approvals:col.id'), dataIndex: 'id', width: 56 },
          { title: t('approvals:col.type'), render: (_, r) => t(`approvals:type.${r.type}`) },
          { title: t('approvals:col.amount'), align: 'right', render: (_, r) => <Amount fen={r.amountFen} /> },
          { title: t('approvals:col.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('approvals:col.requester'), render: (_, r) => `${r.requester} · ${formatTime(r.requestedAt, ws.zone)}` },
          { title: t('approvals:col.status'), render: (_, r) => <StatusTag r={r} /> },
          { title: t('approvals:col.decisions'), render: (_, r) => <Decisions list={r.decisions} zone={ws.zone} /> },
          {
            key: 'cancel',
            render: (_, r) => r.status === 'pending' && myName !== undefined && r.requester === myName
              ? <Button size="small" onClick={() => void cancel(r)}>{t('approvals:cancel')}</Button>
              : null,
          },
        ]}
      />
      <Row gutter={16} style={{ marginTop: 16 }}>
        {canRequest && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('approvals:comp.new')}>
              <Form<RequestForm> form={form} layout="vertical" initialValues={{ type: 'coupon' }} onFinish={(v) => void submit(v)} data-testid="comp-form">
                <Form.Item name="type" label={t('approvals:comp.type')}>
                  <Select options={compTypes.map((c) => ({ value: c, label: t(`approvals:type.${c}`) }))} onChange={() => setFromCalc(null)} />
                </Form.Item>
                <Form.Item name="amount" label={t('approvals:comp.amount')}
                  rules={[{ required: true, validator: (_, v: string) => (Number.isNaN(parseYuan(v ?? '')) || parseYuan(v) <= 0 ? Promise.reject(new Error(t('approvals:badAmount'))) : Promise.resolve()) }]}>
                  <Input inputMode="decimal" data-testid="comp-amount" />
                </Form.Item>
                <Form.Item name="reason" label={t('approvals:comp.reason')} rules={[{ required: true }]}>
                  <Input.TextArea rows={2} data-testid="comp-reason" />
                </Form.Item>
                <Form.Item name="shift" label={t('approvals:comp.shift')}><Input /></Form.Item>
                <Form.Item name="evidence" label={t('approvals:comp.evidence')}><Input.TextArea rows={2} /></Form.Item>
                <Button type="primary" htmlType="submit" data-testid="comp-submit">{t('approvals:comp.submit')}</Button>
              </Form>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card size="small" title={t('approvals:comp.calcTitle')} data-testid="calc-card">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Radio.Group value={calcIn.rule} onChange={(e) => setCalcIn({ ...calcIn, rule: e.target.value as CalcInput['rule'] })}>
                <Space direction="vertical">
                  <Radio value="cpl55">{t('approvals:comp.cpl55')}</Radio>
                  <Radio value="fsl148">{t('approvals:comp.fsl148')}</Radio>
                </Space>
              </Radio.Group>
              <Input placeholder={t('approvals:comp.price')} aria-label={t('approvals:comp.price')} value={calcIn.price} onChange={(e) => setCalcIn({ ...calcIn, price: e.target.value })} data-testid="calc-price" />
              {calcIn.rule === 'fsl148' && (
                <Input placeholder={t('approvals:comp.loss')} aria-label={t('approvals:comp.loss')} value={calcIn.loss} onChange={(e) => setCalcIn({ ...calcIn, loss: e.target.value })} />
              )}
              <Button onClick={() => void runCalc()} data-testid="calc-run">{t('approvals:comp.calc')}</Button>
              {calcError && <Alert type="error" showIcon message={calcError} />}
              {calc && (
                <>
                  <Typography.Title level={5} data-testid="calc-result">{t('approvals:comp.result', { amount: formatYuan(calc.amountFen) })}</Typography.Title>
                  <Typography.Text type="secondary">{calc.law}</Typography.Text>
                  <Typography.Text>{i18n.language === 'en' ? calc.basis : calc.basisZh}</Typography.Text>
                  <List size="small" header={<b>{t('approvals:comp.exceptions')}</b>} bordered dataSource={calc.exceptions}
                    renderItem={(x) => <List.Item>[{x.id}] {i18n.language === 'en' ? x.en : x.zh}</List.Item>} />
                  {canRequest && <Button onClick={useCalc}>{t('approvals:comp.use')}</Button>}
                </>
              )}
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}

// Asks why a case moves (level or owner). Every move is a decision, so the reason is required; the backend
// writes it on the timeline and in the audit trail in the same transaction as the move.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';

export interface MoveRequest {
  caseId: number;
  title: string;
  kind: 'level' | 'owner';
  /** preset target (a level, or an owner's person id) from a drop; undefined lets the user choose (keys a / e). */
  target: number | undefined;
}

export interface Owner {
  id: number;
  name: string;
}

interface Props {
  request: MoveRequest | undefined;
  owners: Owner[];
  onSubmit: (req: MoveRequest, target: number, reason: string) => Promise<void>;
  onClose: () => void;
}

export default function MoveDialog({ request, owners, onSubmit, onClose }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    setReason('');
    setError('');
    setTarget(request?.target);
  }, [request]);
  if (!request) return null;
  const ok = reason.trim() !== '' && target !== undefined;
  const submit = async () => {
    if (!ok) return;
    setBusy(true);
    try {
      await onSubmit(request, target, reason.trim());
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const options =
    request.kind === 'level'
      ? [1, 2, 3].map((n) => ({ value: n, label: t('common.levelN', { n }) }))
      : owners.map((o) => ({ value: o.id, label: o.name }));
  return (
    <Modal
      open
      title={t(request.kind === 'level' ? 'board:move.levelTitle' : 'board:move.ownerTitle', { id: request.caseId })}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ok, loading: busy, id: 'move-ok' }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>{request.title}</p>
      <Form layout="vertical">
        <Form.Item label={request.kind === 'level' ? t('common.level') : t('common.owner')} required>
          <Select value={target} onChange={setTarget} options={options} showSearch optionFilterProp="label" id="move-target" />
        </Form.Item>
        <Form.Item label={t('common.reason')} required help={t('common.reasonRequired')}>
          <Input.TextArea autoFocus rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="move-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="move-error" />}
    </Modal>
  );
}

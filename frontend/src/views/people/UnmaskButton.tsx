// "Show contact data" beside a case's masked customer: only for the roles that need it (legal, manager),
// only with a stated purpose, and every use lands in the audit trail (People.UnmaskCustomer).
import { useState } from 'react';
import { Alert, Button, Descriptions, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText, users, type Contact } from '../../api';
import { useWorkspace } from '../../shell/workspace';

export default function UnmaskButton({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const { role } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [contact, setContact] = useState<Contact>();
  const [error, setError] = useState('');
  if (role !== 'legal' && role !== 'manager') return null;
  const close = () => {
    setOpen(false);
    setContact(undefined); // clear data is not kept around once the dialog closes
    setPurpose('');
    setError('');
  };
  const reveal = async () => {
    setError('');
    try {
      setContact(await users.unmask(caseId, purpose));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="unmask">
        {t('people:unmask.button')}
      </Button>
      <Modal open={open} title={t('people:unmask.title')} onCancel={close} footer={contact ? null : undefined}
        okText={t('people:unmask.reveal')} okButtonProps={{ disabled: purpose.trim().length < 2 }} onOk={() => void reveal()}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        {contact ? (
          <Descriptions size="small" column={1} bordered data-testid="unmasked">
            <Descriptions.Item label={t('people:unmask.name')}>{contact.name}</Descriptions.Item>
            <Descriptions.Item label={t('people:unmask.email')}>{contact.email}</Descriptions.Item>
            <Descriptions.Item label={t('people:unmask.phone')}>{contact.phone}</Descriptions.Item>
            <Descriptions.Item label={t('people:unmask.address')}>{contact.address}</Descriptions.Item>
            <Descriptions.Item label={t('people:unmask.idNumber')}>{contact.idNumber}</Descriptions.Item>
          </Descriptions>
        ) : (
          <>
            <Typography.Paragraph>{t('people:unmask.why')}</Typography.Paragraph>
            <Input value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="unmask-purpose" />
          </>
        )}
      </Modal>
    </>
  );
}

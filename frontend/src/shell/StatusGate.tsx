// The first-run / status screen: shown until the workspace is open. It says clearly why it is not (locked,
// corrupt, read-only) and offers the demo workspace so a newcomer has something to look at.
import { useState } from 'react';
import { Alert, Button, Descriptions, Result, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, system, type Status } from '../api';
import LangSwitch from './LangSwitch';

export function hintFor(error: string): string {
  const e = error.toLowerCase();
  if (/lock|in use|another instance|busy/.test(e)) return 'status.hintLocked';
  if (/corrupt|malformed|not a database|file is not/.test(e)) return 'status.hintCorrupt';
  if (/read-only|readonly|permission denied/.test(e)) return 'status.hintReadOnly';
  return '';
}

interface Props {
  status: Status | undefined;
  loadError: string;
  onStatus: (s: Status) => void;
  onRetry: () => void;
}

export default function StatusGate({ status, loadError, onStatus, onRetry }: Props) {
  const { t } = useTranslation();
  const [opening, setOpening] = useState(false);
  const [demoError, setDemoError] = useState('');
  if (!status && !loadError) {
    return (
      <div className="gate">
        <Spin tip={t('status.checking')} size="large">
          <div style={{ width: 240, height: 80 }} />
        </Spin>
      </div>
    );
  }
  const error = loadError || status?.error || '';
  const hint = hintFor(error);
  const openDemo = async () => {
    setOpening(true);
    setDemoError('');
    try {
      onStatus(await system.openDemo());
    } catch (e) {
      setDemoError(errorText(e));
    } finally {
      setOpening(false);
    }
  };
  return (
    <div className="gate" data-testid="status-gate">
      <div className="gate-lang">
        <LangSwitch />
      </div>
      <Result
        status="warning"
        title={t('status.notOpen')}
        subTitle={loadError ? t('status.noBackend') : undefined}
        extra={
          <Space direction="vertical" size="middle" style={{ maxWidth: 640, textAlign: 'left' }}>
            {error && <Alert type="error" showIcon message={error} description={hint ? t(hint) : undefined} data-testid="store-error" />}
            {demoError && <Alert type="error" showIcon message={demoError} />}
            {status && (
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t('status.dataDir')}>{status.dataDir}</Descriptions.Item>
                <Descriptions.Item label={t('status.version')}>{status.version}</Descriptions.Item>
                <Descriptions.Item label={t('status.zone')}>{status.zone}</Descriptions.Item>
              </Descriptions>
            )}
            <Space>
              <Button onClick={onRetry}>{t('status.retry')}</Button>
              <Button type="primary" loading={opening} onClick={() => void openDemo()}>
                {opening ? t('status.openingDemo') : t('status.openDemo')}
              </Button>
            </Space>
          </Space>
        }
      />
    </div>
  );
}

// What "Test connection" found, shown under the account form: what the server's capabilities mean for
// the mirror (IDLE, CONDSTORE), the full list, and every folder with its message count, the configured
// ones marked with their role and a configured folder the server lacks in red.
import { Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest } from '../../api';

type FolderInfo = ConnectionTest['folders'][number];

export default function ConnectionTestResult({ result }: { result: ConnectionTest }) {
  const { t } = useTranslation();
  // Configured folders first: they are what the user is checking.
  const folders = [...result.folders].sort((a, b) => Number(b.configured) - Number(a.configured) || a.name.localeCompare(b.name));
  return (
    <div data-testid="test-result" style={{ marginBottom: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag color={result.idle ? 'green' : 'orange'} data-testid="test-idle">{t(result.idle ? 'sources:idleYes' : 'sources:idleNo')}</Tag>
        <Tag color={result.condstore ? 'green' : 'orange'} data-testid="test-condstore">{t(result.condstore ? 'sources:condstoreYes' : 'sources:condstoreNo')}</Tag>
      </Space>
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ fontSize: 12 }}>
        {t('sources:capabilities')}: {result.capabilities.join(' ')}
      </Typography.Paragraph>
      <Table<FolderInfo>
        rowKey="name" size="small" pagination={false} dataSource={folders} scroll={{ y: 240 }}
        columns={[
          { title: t('sources:folder'), dataIndex: 'name' },
          { title: t('sources:onServer'), dataIndex: 'messages', width: 110 },
          {
            title: t('sources:role'), key: 'role', width: 120,
            render: (_: unknown, f) => (f.configured ? <Tag color={f.role === 'regulator' ? 'red' : 'blue'}>{t(`sources:roles.${f.role ?? 'complaints'}`)}</Tag> : null),
          },
          { title: t('sources:error'), dataIndex: 'error', render: (e?: string) => e && <Typography.Text type="danger">{e}</Typography.Text> },
        ]}
      />
    </div>
  );
}

// What "Test connection" found, shown under the account form: what the server's capabilities mean for
// the mirror (IDLE, CONDSTORE), the full list, and every folder with its message count. The folders the
// form lists (read live, so an edit shows at once) come first with their role; any other can be added to
// the form from here, as a complaints or a regulator folder, so nobody has to type a folder's exact name
// ("监管来函", "INBOX/Complaints").
import { Button, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest, FolderRole, MailFolder } from '../../api';

type FolderInfo = ConnectionTest['folders'][number];

const folderRoles: FolderRole[] = ['complaints', 'regulator'];

export default function ConnectionTestResult({ result, folders, onAdd }: {
  result: ConnectionTest;
  folders: MailFolder[];
  onAdd: (name: string, role: FolderRole) => void;
}) {
  const { t } = useTranslation();
  const roleOf = (name: string) => folders.find((f) => f?.name === name)?.role;
  const rows = [...result.folders].sort((a, b) => Number(!!roleOf(b.name)) - Number(!!roleOf(a.name)) || a.name.localeCompare(b.name));
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
        rowKey="name" size="small" pagination={false} dataSource={rows} scroll={{ y: 240 }}
        columns={[
          { title: t('sources:folder'), dataIndex: 'name' },
          { title: t('sources:onServer'), dataIndex: 'messages', width: 110 },
          {
            title: t('sources:role'), key: 'role', width: 190,
            render: (_: unknown, f) => {
              const role = roleOf(f.name);
              if (role) return <Tag color={role === 'regulator' ? 'red' : 'blue'}>{t(`sources:roles.${role}`)}</Tag>;
              return f.error ? null : (
                <Space size={0}>
                  {folderRoles.map((r) => (
                    <Button
                      key={r} size="small" type="link" icon={<PlusOutlined />} onClick={() => onAdd(f.name, r)}
                      title={t('sources:addThisFolder', { role: t(`sources:roles.${r}`) })} data-testid={`test-add-${r}-${f.name}`}
                    >
                      {t(`sources:roles.${r}`)}
                    </Button>
                  ))}
                </Space>
              );
            },
          },
          { title: t('sources:error'), dataIndex: 'error', render: (e?: string) => e && <Typography.Text type="danger">{e}</Typography.Text> },
        ]}
      />
    </div>
  );
}

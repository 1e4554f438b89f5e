// Users admin: who may sign in and with which role. Admins add people, change roles, deactivate and reset
// passwords; managers see the list read-only. Everyone can change their own password here.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText, users, auth, type NewUser, type User } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import type { Role, ViewProps } from '../registry';

const roles: Role[] = ['supervisor', 'legal', 'manager', 'admin'];

export default function PeopleView(_: ViewProps) {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const isAdmin = ws.role === 'admin';
  const canList = isAdmin || ws.role === 'manager';
  const list = useAsync(() => (canList ? users.list() : Promise.resolve([])), [canList]);
  const [adding, setAdding] = useState(false);
  const [resetFor, setResetFor] = useState<User>();
  const [changingOwn, setChangingOwn] = useState(false);
  const [error, setError] = useState('');
  const roleOptions = roles.map((r) => ({ value: r, label: t(`people:role.${r}`) }));

  const run = async (fn: () => Promise<unknown>) => {
    setError('');
    try {
      await fn();
      void message.success(t('people:users.saved'));
      list.reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };

  return (
    <div data-testid="people-view">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('people:users.title')}</Typography.Title>
        {isAdmin && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-user">{t('people:users.add')}</Button>}
        <Button onClick={() => setChangingOwn(true)}>{t('people:users.changeOwn')}</Button>
      </Space>
      <Typography.Paragraph type="secondary">{isAdmin ? t('people:users.audited') : t('people:users.readOnly')}</Typography.Paragraph>
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} />}
      {canList && (
        <Table<User>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data ?? []}
          pagination={false}
          columns={[
            { title: t('people:users.username'), dataIndex: 'username' },
            {
              title: t('people:users.displayName'), dataIndex: 'displayName',
              render: (v: string, u) => isAdmin
                ? <Input defaultValue={v} size="small" onBlur={(e) => e.target.value !== v && void run(() => users.update(u.username, u.role, e.target.value, u.active))} />
                : v,
            },
            {
              title: t('people:users.role'), dataIndex: 'role',
              render: (r: Role, u) => isAdmin
                ? <Select size="small" value={r} options={roleOptions} style={{ width: 140 }} onChange={(v) => void run(() => users.update(u.username, v, u.displayName, u.active))} data-testid={`role-${u.username}`} />
                : t(`people:role.${r}`),
            },
            {
              title: t('people:users.active'), dataIndex: 'active',
              render: (a: boolean, u) => (
                <Space>
                  <Switch size="small" checked={a} disabled={!isAdmin} onChange={(v) => void run(() => users.update(u.username, u.role, u.displayName, v))} />
                  {u.lockedUntil && !u.lockedUntil.startsWith('0001') && new Date(u.lockedUntil) > new Date() && (
                    <Tag color="red">{t('people:users.locked', { t: formatTime(u.lockedUntil, ws.zone) })}</Tag>
                  )}
                </Space>
              ),
            },
            { title: t('people:users.created'), dataIndex: 'createdAt', render: (v: string) => formatTime(v, ws.zone) },
            ...(isAdmin ? [{ key: 'pw', render: (_: unknown, u: User) => <Button size="small" onClick={() => setResetFor(u)}>{t('people:users.resetPassword')}</Button> }] : []),
          ]}
        />
      )}
      <Modal open={adding} title={t('people:users.add')} footer={null} onCancel={() => setAdding(false)} destroyOnClose>
        <Form<NewUser> layout="vertical" initialValues={{ role: 'supervisor' }}
          onFinish={async (v) => { if (await run(() => users.create({ ...v, displayName: v.displayName ?? '' }))) setAdding(false); }}>
          <Form.Item name="username" label={t('people:users.username')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="displayName" label={t('people:users.displayName')}><Input /></Form.Item>
          <Form.Item name="role" label={t('people:users.role')}><Select options={roleOptions} /></Form.Item>
          <Form.Item name="password" label={t('people:signIn.password')} extra={t('people:signIn.passwordHint')} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>{t('people:users.save')}</Button>
        </Form>
      </Modal>
      <Modal open={!!resetFor} title={`${t('people:users.resetPassword')}: ${resetFor?.username ?? ''}`} footer={null} onCancel={() => setResetFor(undefined)} destroyOnClose>
        <Form<{ password: string }> layout="vertical"
          onFinish={async (v) => { if (resetFor && await run(() => auth.changePassword(resetFor.username, '', v.password))) setResetFor(undefined); }}>
          <Form.Item name="password" label={t('people:users.newPassword')} extra={t('people:signIn.passwordHint')} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>{t('people:users.save')}</Button>
        </Form>
      </Modal>
      <Modal open={changingOwn} title={t('people:users.changeOwn')} footer={null} onCancel={() => setChangingOwn(false)} destroyOnClose>
        <Form<{ old: string; password: string }> layout="vertical"
          onFinish={async (v) => {
            if (ws.user && await run(() => auth.changePassword(ws.user!.username, v.old, v.password))) setChangingOwn(false);
          }}>
          <Form.Item name="old" label={t('people:users.oldPassword')} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
          <Form.Item name="password" label={t('people:users.newPassword')} extra={t('people:signIn.passwordHint')} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>{t('people:users.save')}</Button>
        </Form>
      </Modal>
    </div>
  );
}

// Saved board views of the signed-in person: pick one to apply, save the current filter under a name, delete.
import { useState } from 'react';
import { Button, Input, Modal, Select, Space, message } from 'antd';
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { board, errorText, type BoardQuery, type SavedView } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';

export default function SavedViews({ query, onApply }: { query: BoardQuery; onApply: (v: SavedView) => void }) {
  const { t } = useTranslation();
  const live = !!useWorkspace().user; // the standby board (signed out) has no views to list
  const views = useAsync(async () => (live ? board.views() : undefined), [live]);
  const [current, setCurrent] = useState<number>();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const save = async () => {
    try {
      const v = await board.saveView(name.trim(), query);
      setCurrent(v.id);
      setNaming(false);
      views.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const remove = async () => {
    if (current === undefined) return;
    try {
      await board.deleteView(current);
      setCurrent(undefined);
      views.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Space.Compact>
      <Select
        style={{ width: 150 }}
        placeholder={views.error ? views.error : t('board:views.pick')}
        status={views.error ? 'warning' : undefined}
        value={current}
        allowClear
        onClear={() => setCurrent(undefined)}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        onChange={(id: number | undefined) => {
          setCurrent(id);
          const v = views.data?.find((x) => x.id === id);
          if (v) onApply(v);
        }}
        data-testid="saved-views"
      />
      <Button icon={<SaveOutlined />} title={t('board:views.save')} onClick={() => { setName(''); setNaming(true); }} />
      <Button icon={<DeleteOutlined />} title={t('board:views.delete')} disabled={current === undefined} onClick={() => void remove()} />
      <Modal open={naming} title={t('board:views.save')} onCancel={() => setNaming(false)} onOk={() => void save()} okButtonProps={{ disabled: name.trim() === '' }} destroyOnHidden>
        <Input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder={t('board:views.name')} onPressEnter={() => name.trim() && void save()} />
      </Modal>
    </Space.Compact>
  );
}

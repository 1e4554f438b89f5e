// The case workspace: header, timeline, reply drafting and the tabs other features fill.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { cases, subscribe } from '../../api';
import { navigate } from '../../shell/route';
import { useAsync } from '../../shell/useAsync';
import type { ViewProps } from '../registry';
import { caseTabs, expectedCaseTabs } from '../caseTabs';
import CaseHeader from './CaseHeader';
import Timeline from './Timeline';
import ReplyPanel from './ReplyPanel';
import './case.css';

export default function CaseView({ param }: ViewProps) {
  const { t } = useTranslation();
  const id = Number(param);
  const [version, setVersion] = useState(0);
  const detail = useAsync(() => (id > 0 ? cases.get(id) : Promise.reject(new Error(t('case:badId', { id: param })))), [id]);
  const reload = useCallback(() => { setVersion((v) => v + 1); detail.reload(); }, [detail.reload]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => subscribe([`case:updated:${id}`, 'case:updated', 'case:moved', 'case:reply', 'engine:changed'], reload), [id, reload]);

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('board')} data-testid="back-to-board">
      {t('case:back')}
    </Button>
  );
  if (detail.error) return <Result status="warning" title={t('common.error')} subTitle={detail.error} extra={back} />;
  if (!detail.data) return <Skeleton active />;
  const { case: c, timeline } = detail.data;
  const registered = new Map(caseTabs.map((tab) => [tab.key, tab]));
  const extra = expectedCaseTabs.map(({ key, label }) => {
    const tab = registered.get(key);
    const Comp = tab?.component;
    return {
      key,
      label: t(tab?.label ?? label),
      children: Comp ? <Comp caseId={id} summary={c} onChanged={reload} /> : <Alert type="info" showIcon message={t(`case:comingWith.${key}`)} />,
    };
  });
  const others = caseTabs.filter((tab) => !expectedCaseTabs.some((e) => e.key === tab.key)).map((tab) => ({
    key: tab.key,
    label: t(tab.label),
    children: <tab.component caseId={id} summary={c} onChanged={reload} />,
  }));
  return (
    <div className="case-view" data-testid="case-view">
      <Space style={{ marginBottom: 8 }}>
        {back}
        {detail.loading && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
      </Space>
      <CaseHeader c={c} version={version} />
      <Tabs
        defaultActiveKey="timeline"
        items={[
          { key: 'timeline', label: t('case:tab.timeline', { n: (timeline ?? []).length }), children: <Timeline events={timeline ?? []} /> },
          { key: 'reply', label: t('case:tab.reply'), children: <ReplyPanel caseId={id} onRecorded={reload} /> },
          ...extra,
          ...others,
        ]}
      />
    </div>
  );
}

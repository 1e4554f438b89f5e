// Pieces shared by the approval queue and the case's compensation tab.
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatYuan, type CompRequest, type CompStatus, type Decision } from '../../api';
import { formatTime } from '../../shell/format';

const statusColor: Record<CompStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red', cancelled: 'default' };

export function StatusTag({ r }: { r: CompRequest }) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      <Tag color={statusColor[r.status]}>{t(`approvals:status.${r.status}`)}</Tag>
      {r.status === 'pending' && r.escalatedAt && !r.escalatedAt.startsWith('0001') && <Tag color="volcano">{t('approvals:escalated')}</Tag>}
      {r.execution && <Tag color="blue">{t(`approvals:execution.${r.execution}`)}</Tag>}
    </Space>
  );
}

export function Amount({ fen }: { fen: number }) {
  return <Typography.Text strong className="amount">{formatYuan(fen)}</Typography.Text>;
}

export function Decisions({ list, zone }: { list: Decision[] | null; zone: string }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={0}>
      {(list ?? []).map((d) => (
        <Tooltip key={d.id} title={formatTime(d.decidedAt, zone)}>
          <Typography.Text type={d.verdict === 'reject' ? 'danger' : 'success'}>
            {d.approver} · {t(`approvals:${d.verdict}`)}{d.reason ? `: ${d.reason}` : ''}
          </Typography.Text>
        </Tooltip>
      ))}
    </Space>
  );
}

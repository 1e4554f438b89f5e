// Shows an evidence preview: images and PDFs inline from their bytes, mail as headers and body, text as text.
import { Alert, Descriptions, Empty, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Preview } from '../../api/legal';

export default function PreviewPane({ preview }: { preview: Preview | undefined }) {
  const { t } = useTranslation();
  if (!preview) return <Skeleton active />;
  const notes = (
    <>
      {preview.masked && <Alert type="info" showIcon message={t('evidence:masked')} />}
      {preview.truncated && <Alert type="warning" showIcon message={t('evidence:truncated')} />}
      {preview.note && <Alert type="warning" showIcon message={preview.note} />}
    </>
  );
  let body;
  switch (preview.kind) {
    case 'image':
      body = <img data-testid="preview-image" alt={preview.filename} style={{ maxWidth: '100%' }} src={`data:${preview.content_type};base64,${preview.data ?? ''}`} />;
      break;
    case 'pdf':
      body = <iframe data-testid="preview-pdf" title={preview.filename} style={{ width: '100%', height: 560, border: 0 }} src={`data:application/pdf;base64,${preview.data ?? ''}`} />;
      break;
    case 'email': {
      const e = preview.email;
      body = e && (
        <div data-testid="preview-email">
          <Descriptions size="small" column={1} items={[
            { key: 'from', label: t('evidence:email.from'), children: e.from },
            { key: 'to', label: t('evidence:email.to'), children: e.to },
            ...(e.cc ? [{ key: 'cc', label: t('evidence:email.cc'), children: e.cc }] : []),
            { key: 'subject', label: t('evidence:email.subject'), children: e.subject },
            { key: 'date', label: t('evidence:email.date'), children: e.date },
            ...(e.attachments.length ? [{ key: 'att', label: t('evidence:email.attachments'), children: e.attachments.join(', ') }] : []),
          ]} />
          <pre className="evidence-text">{e.body}</pre>
        </div>
      );
      break;
    }
    case 'text':
      body = <pre data-testid="preview-text" className="evidence-text">{preview.text}</pre>;
      break;
    default:
      body = <Empty description={t('evidence:noPreview')} />;
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {notes}
      {body}
      {preview.kind === 'text' && !preview.text && <Typography.Text type="secondary">—</Typography.Text>}
    </Space>
  );
}

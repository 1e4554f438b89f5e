// Reply drafting: pick an approved phrasing from the script library, edit it, and see every forbidden phrase
// (禁忌用语 of the service manuals: "稍等", "您说话要负责任", blaming the customer...) highlighted with why.
// Recording the reply puts it on the case timeline; sending mail is not part of this.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, List, Space, Tooltip, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, replies, type PhraseHit } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { segments } from './highlight';

export default function ReplyPanel({ caseId, onRecorded }: { caseId: number; onRecorded: () => void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [scriptKey, setScriptKey] = useState('');
  const [hits, setHits] = useState<PhraseHit[]>([]);
  const [checkError, setCheckError] = useState('');
  const [saving, setSaving] = useState(false);
  const available = replies.available();
  const scripts = useAsync(() => (available ? replies.scripts() : Promise.resolve([])), [available]);

  // Check as the supervisor types, debounced: the rule list lives in the backend.
  useEffect(() => {
    if (!available) return;
    if (text.trim() === '') {
      setHits([]);
      return;
    }
    const timer = setTimeout(() => {
      replies.check(text).then(
        (h) => { setHits(h); setCheckError(''); },
        (e: unknown) => setCheckError(errorText(e)),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [text, available]);

  const segs = useMemo(() => segments(text, hits), [text, hits]);
  if (!available) return <Alert type="info" showIcon message={t('case:reply.notAvailable')} />;

  const record = async () => {
    setSaving(true);
    try {
      await replies.record(caseId, text, scriptKey);
      void message.success(t('case:reply.recorded'));
      setText('');
      setScriptKey('');
      onRecorded();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="reply-panel">
      <Card size="small" title={t('case:reply.library')} className="reply-library">
        {scripts.error && <Alert type="error" showIcon message={scripts.error} />}
        <List
          size="small"
          loading={scripts.loading}
          dataSource={scripts.data ?? []}
          renderItem={(s) => (
            <List.Item
              data-testid="script-item"
              actions={[<Button key="use" size="small" onClick={() => { setText(s.body); setScriptKey(s.key); }}>{t('case:reply.use')}</Button>]}
            >
              <List.Item.Meta title={i18n.language === 'en' ? s.titleEn || s.titleZh : s.titleZh || s.titleEn} description={<Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{s.body}</Typography.Paragraph>} />
            </List.Item>
          )}
        />
      </Card>
      <div className="reply-editor">
        <Input.TextArea rows={7} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('case:reply.placeholder')} data-testid="reply-text" />
        {checkError && <Alert type="error" showIcon message={checkError} />}
        {hits.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="forbidden-warning"
            message={t('case:reply.forbidden', { n: hits.length })}
            description={
              <>
                <div className="reply-preview">
                  {segs.map((s, i) =>
                    s.hit ? (
                      <Tooltip key={i} title={s.hit.why}><mark className="forbidden">{s.text}</mark></Tooltip>
                    ) : (
                      <span key={i}>{s.text}</span>
                    ),
                  )}
                </div>
                <ul className="reply-why">
                  {hits.map((h, i) => <li key={i}><mark className="forbidden">{h.phrase}</mark> — {h.why}</li>)}
                </ul>
              </>
            }
          />
        )}
        <Space>
          <Button type="primary" disabled={text.trim() === ''} loading={saving} onClick={() => void record()} data-testid="reply-record">
            {hits.length > 0 ? t('case:reply.recordAnyway') : t('case:reply.record')}
          </Button>
        </Space>
      </div>
    </div>
  );
}

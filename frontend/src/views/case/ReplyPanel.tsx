// Reply drafting: pick an approved phrasing from the script library, edit it, and see every forbidden phrase
// (禁忌用语 of the service manuals: "稍等", "您说话要负责任", blaming the customer...) highlighted with why.
// Recording puts the reply on the case timeline (sending mail is not part of this); a draft with findings
// is only recorded when the supervisor explicitly overrides, which the backend audits.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, List, Segmented, Space, Tooltip, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, replies, subscribe, type Finding } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { segments } from './highlight';

export default function ReplyPanel({ caseId, onRecorded }: { caseId: number; onRecorded: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [lang, setLang] = useState<string>(en ? 'en' : 'zh-CN');
  const [text, setText] = useState('');
  const [scriptKey, setScriptKey] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [checkError, setCheckError] = useState('');
  const [override, setOverride] = useState(false);
  const [saving, setSaving] = useState(false);
  const scripts = useAsync(() => replies.scripts(lang), [lang]);
  useEffect(() => subscribe(['scripts:changed'], scripts.reload), [scripts.reload]);

  // Check as the supervisor types, debounced: the rule list lives in the backend (assets/rules).
  useEffect(() => {
    if (text.trim() === '') {
      setFindings([]);
      return;
    }
    const timer = setTimeout(() => {
      replies.check(text).then(
        (f) => { setFindings(f); setCheckError(''); },
        (e: unknown) => setCheckError(errorText(e)),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => setOverride(false), [findings.length]);

  const segs = useMemo(() => segments(text, findings), [text, findings]);
  const why = (f: Finding) => (en ? f.en || f.zh : f.zh || f.en);

  const record = async () => {
    setSaving(true);
    try {
      const res = await replies.record({ caseId, body: text, channel: 'email', scriptKey, override });
      if (!res.recorded) {
        setFindings(res.findings ?? []);
        void message.warning(t('case:reply.refused'));
        return;
      }
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
      <Card
        size="small"
        title={t('case:reply.library')}
        className="reply-library"
        extra={<Segmented size="small" value={lang} onChange={(v) => setLang(String(v))} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'EN' }]} />}
      >
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
              <List.Item.Meta
                title={<Tooltip title={s.source}>{s.title}</Tooltip>}
                description={<Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{s.body}</Typography.Paragraph>}
              />
            </List.Item>
          )}
        />
      </Card>
      <div className="reply-editor">
        <Input.TextArea rows={7} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('case:reply.placeholder')} data-testid="reply-text" />
        {checkError && <Alert type="error" showIcon message={checkError} />}
        {findings.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="forbidden-warning"
            message={t('case:reply.forbidden', { n: findings.length })}
            description={
              <>
                <div className="reply-preview">
                  {segs.map((s, i) =>
                    s.hit ? (
                      <Tooltip key={i} title={why(s.hit)}><mark className="forbidden">{s.text}</mark></Tooltip>
                    ) : (
                      <span key={i}>{s.text}</span>
                    ),
                  )}
                </div>
                <ul className="reply-why">
                  {findings.map((f, i) => (
                    <li key={i}>
                      <mark className="forbidden">{f.text}</mark> — {why(f)}
                      {f.source && <Typography.Text type="secondary"> ({f.source})</Typography.Text>}
                    </li>
                  ))}
                </ul>
              </>
            }
          />
        )}
        <Space>
          {findings.length > 0 && (
            <Checkbox checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="reply-override">
              {t('case:reply.override')}
            </Checkbox>
          )}
          <Button type="primary" disabled={text.trim() === '' || (findings.length > 0 && !override)} loading={saving} onClick={() => void record()} data-testid="reply-record">
            {t('case:reply.record')}
          </Button>
        </Space>
      </div>
    </div>
  );
}

import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../i18n';

export default function LangSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Lang>
      size="small"
      aria-label={t('lang.label')}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      options={[
        { label: t('lang.zh'), value: 'zh-CN' },
        { label: t('lang.en'), value: 'en' },
      ]}
      onChange={setLang}
    />
  );
}

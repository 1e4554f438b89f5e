// i18n: zh-CN (default when the system language is Chinese) and English. The shell's strings live in
// ./common.ts; every view folder has its own locales.ts, picked up here by file name so a new view only adds
// its folder. A view's keys are in the namespace named after its folder (t('board:title')).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './common';

export type Lang = 'zh-CN' | 'en';
export type Messages = { [key: string]: string | Messages };
export type Locales = Record<Lang, Messages>;

const viewLocales = import.meta.glob<{ default: Locales }>('../views/*/locales.ts', { eager: true });

export function resources(): Record<Lang, Record<string, Messages>> {
  const out: Record<Lang, Record<string, Messages>> = { 'zh-CN': { common: common['zh-CN'] }, en: { common: common.en } };
  for (const [path, mod] of Object.entries(viewLocales)) {
    const ns = path.split('/').at(-2) ?? path;
    out['zh-CN'][ns] = mod.default['zh-CN'];
    out.en[ns] = mod.default.en;
  }
  return out;
}

const STORAGE_KEY = 'cockpit.lang';

export function initialLang(stored: string | null, navigatorLang: string): Lang {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return navigatorLang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: resources(),
  lng: initialLang(localStorage.getItem(STORAGE_KEY), navigator.language),
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18n;

import type { Locales } from '../../i18n';

const locales: Locales = {
  'zh-CN': {
    menu: '案件',
    back: '返回看板',
    badId: '无效的案件编号：{{id}}',
    why: '依据',
    levelWhy: '定级依据',
    linkReason: '归并原因',
    noEvents: '暂无记录',
    tab: { timeline: '时间线（{{n}}）', reply: '回复', evidence: '证据', filing: '监管答复', compensation: '赔偿' },
    comingWith: {
      evidence: '证据保全（截图、聊天记录、质检报告的留存与导出）在此显示，随证据功能一起提供。',
      filing: '12315 / 市场监管答复与检查清单在此显示，随监管答复功能一起提供。',
      compensation: '赔偿申请与审批在此显示，随赔偿审批功能一起提供。',
    },
    clock: { first_response: '首次响应', resolution: '解决时限', regulator_reply: '监管答复', callback: '回访' },
    kind: { email: '邮件', ticket: '工单', letter: '监管函', import: '导入', note: '备注', reply: '回复', status: '状态变更', level: '级别变更', owner: '转派', decision: '决定', clock_pause: '计时暂停', clock_resume: '计时恢复' },
    reply: {
      library: '话术库',
      use: '使用',
      placeholder: '从左侧话术库选择，或直接输入回复…',
      forbidden: '发现 {{n}} 处禁忌用语',
      record: '记录回复',
      override: '我确认仍要记录（会写入审计记录）',
      refused: '回复含禁忌用语，未记录',
      recorded: '回复已记录到案件时间线',
    },
  },
  en: {
    menu: 'Case',
    back: 'Back to the board',
    badId: 'Not a case number: {{id}}',
    why: 'Why',
    levelWhy: 'Why this level',
    linkReason: 'Linked because',
    noEvents: 'Nothing recorded yet',
    tab: { timeline: 'Timeline ({{n}})', reply: 'Reply', evidence: 'Evidence', filing: 'Regulator filing', compensation: 'Compensation' },
    comingWith: {
      evidence: 'Evidence preservation (screenshots, chat logs, test reports, export) appears here with the evidence feature.',
      filing: 'The 12315 / market-regulator reply and its checklist appear here with the regulator filing feature.',
      compensation: 'Compensation requests and approvals appear here with the compensation feature.',
    },
    clock: { first_response: 'First response', resolution: 'Resolution', regulator_reply: 'Regulator reply', callback: 'Call-back' },
    kind: { email: 'Email', ticket: 'Ticket', letter: 'Regulator letter', import: 'Import', note: 'Note', reply: 'Reply', status: 'Status', level: 'Level', owner: 'Reassigned', decision: 'Decision', clock_pause: 'Clock paused', clock_resume: 'Clock resumed' },
    reply: {
      library: 'Script library',
      use: 'Use',
      placeholder: 'Pick an approved phrasing on the left, or type the reply…',
      forbidden: '{{n}} forbidden phrase(s) found',
      record: 'Record reply',
      override: 'I confirm recording it anyway (audited)',
      refused: 'The reply has forbidden phrases and was not recorded',
      recorded: 'The reply is recorded on the case timeline',
    },
  },
};

export default locales;

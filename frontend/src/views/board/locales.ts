import type { Locales } from '../../i18n';

const locales: Locales = {
  'zh-CN': {
    menu: '升级看板',
    searchPlaceholder: '搜索标题、订单号、邮件内容（按 / 聚焦）',
    groupLevel: '按级别',
    groupStatus: '按状态',
    groupOwner: '按负责人',
    breached: '已超时',
    regulator: '监管件',
    total: '共 {{n}} 件',
    move: { levelTitle: '调整案件 #{{id}} 的级别', ownerTitle: '转派案件 #{{id}}' },
    type: { product: '产品质量', logistics: '物流', service: '服务', unknown: '未分类' },
    flag: {
      regulator_threat: '扬言投诉12315', media_threat: '扬言曝光', health: '健康/人身伤害', legal_threat: '法律威胁',
      vulnerable: '弱势客户', high_value: '高金额', repeat: '重复投诉', batch: '批次问题',
    },
  },
  en: {
    menu: 'Escalation board',
    searchPlaceholder: 'Search titles, order numbers, mail text (press /)',
    groupLevel: 'By level',
    groupStatus: 'By status',
    groupOwner: 'By owner',
    breached: 'Breached',
    regulator: 'Regulator',
    total: '{{n}} cases',
    move: { levelTitle: 'Change the level of case #{{id}}', ownerTitle: 'Reassign case #{{id}}' },
    type: { product: 'Product', logistics: 'Logistics', service: 'Service', unknown: 'Unclassified' },
    flag: {
      regulator_threat: '12315 threat', media_threat: 'Media threat', health: 'Health / injury', legal_threat: 'Legal threat',
      vulnerable: 'Vulnerable customer', high_value: 'High value', repeat: 'Repeat contact', batch: 'Batch issue',
    },
  },
};

export default locales;

import type { Locales } from '../../i18n';

const locales: Locales = {
  'zh-CN': {
    menu: '升级看板',
    searchPlaceholder: '搜索标题、订单号、邮件内容（按 / 聚焦）',
    groupLevel: '按级别',
    groupStatus: '按状态',
    regulator: '监管件',
    breached: '只看已超时',
    shift: '班次',
    shiftN: '班次 #{{id}}',
    total: '共 {{n}} 件',
    incidents: '红色警报：{{n}} 起未关闭事件',
    incidentCases: '{{n}} 件',
    incidentFilter: '点击只看此事件的案件',
    dropOwner: '拖到负责人以转派：',
    missing: '缺证据 {{n}}',
    views: { pick: '已保存视图', save: '保存当前视图', delete: '删除所选视图', name: '视图名称' },
    move: { levelTitle: '调整案件 #{{id}} 的级别', ownerTitle: '转派案件 #{{id}}' },
    type: { product: '商品类', logistics: '物流类', service: '服务类', unknown: '未分类' },
    flag: {
      safety: '人身安全', regulator: '监管投诉', media: '媒体/曝光', legal: '法律风险', fake_goods: '假货',
      vulnerable: '弱势消费者', high_value: '大额损失',
    },
  },
  en: {
    menu: 'Escalation board',
    searchPlaceholder: 'Search titles, order numbers, mail text (press /)',
    groupLevel: 'By level',
    groupStatus: 'By status',
    regulator: 'Regulator',
    breached: 'Breached only',
    shift: 'Shift',
    shiftN: 'Shift #{{id}}',
    total: '{{n}} cases',
    incidents: 'Red alert: {{n}} open incident(s)',
    incidentCases: '{{n}} cases',
    incidentFilter: 'Click to show only this incident\'s cases',
    dropOwner: 'Drop on an owner to reassign:',
    missing: 'Evidence missing: {{n}}',
    views: { pick: 'Saved views', save: 'Save this view', delete: 'Delete the chosen view', name: 'View name' },
    move: { levelTitle: 'Change the level of case #{{id}}', ownerTitle: 'Reassign case #{{id}}' },
    type: { product: 'Product', logistics: 'Logistics', service: 'Service', unknown: 'Unclassified' },
    flag: {
      safety: 'Personal safety', regulator: 'Regulator', media: 'Media / exposure', legal: 'Legal', fake_goods: 'Fake goods',
      vulnerable: 'Vulnerable customer', high_value: 'High value',
    },
  },
};

export default locales;

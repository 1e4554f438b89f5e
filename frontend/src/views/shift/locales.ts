import type { Locales } from '../../i18n';

const locales: Locales = {
  'zh-CN': {
    menu: '交接班',
    tab: { mine: '我的案件（{{n}}）', handover: '交班', incoming: '待接班', roster: '排班表', history: '交接记录' },
    name: '班次', starts: '开始', ends: '结束', supervisor: '值班主管', manager: '值班经理',
    noRoster: '这段时间没有排班', noHistory: '还没有交接记录', noIncoming: '没有等待您确认的交接', noItems: '没有需要交接的案件或事件',
    outgoing: '交班人', incoming: '接班人', created: '生成时间', signed: '交班签字', acknowledged: '接班确认', items: '条目',
    state: { draft: '草稿', signed: '已签字待确认', acknowledged: '已确认', escalated: '超时已升级' },
    ackNote: '接班备注',
    title: '标题', kind: '类别', clock: '最紧迫计时', itemKind: { case: '案件', incident: '事件' },
    reassign: '批量转派（{{n}}）', reassigned: '已转派 {{n}} 件', to: '转派给', nobodyOnRoster: '排班表上没有其他主管',
    incomingPick: '接班主管', generate: '生成交接单', notesPlaceholder: '交接备注：需要下一班特别注意的事项…',
    sheetTitle: '交接单 #{{id}} → {{to}}', signOff: '交班签字', signedOk: '已签字，等待接班确认',
    incomingTitle: '交接单 #{{id}}，来自 {{from}}（{{at}} 签字）', ackPlaceholder: '接班备注（可选）', acknowledge: '确认接班', ackOk: '已确认接班，案件已转到您名下',
  },
  en: {
    menu: 'Shift & handover',
    tab: { mine: 'My cases ({{n}})', handover: 'Hand over', incoming: 'Incoming', roster: 'Roster', history: 'History' },
    name: 'Shift', starts: 'Starts', ends: 'Ends', supervisor: 'Supervisor', manager: 'Manager',
    noRoster: 'Nobody is on the roster in this period', noHistory: 'No handovers yet', noIncoming: 'No handover waiting for you', noItems: 'No cases or incidents to hand over',
    outgoing: 'Outgoing', incoming: 'Incoming', created: 'Created', signed: 'Signed off', acknowledged: 'Acknowledged', items: 'Items',
    state: { draft: 'Draft', signed: 'Signed, awaiting acknowledgement', acknowledged: 'Acknowledged', escalated: 'Overdue, escalated' },
    ackNote: 'Acknowledgement note',
    title: 'Title', kind: 'Kind', clock: 'Most pressing clock', itemKind: { case: 'Case', incident: 'Incident' },
    reassign: 'Reassign ({{n}})', reassigned: '{{n}} case(s) reassigned', to: 'Reassign to', nobodyOnRoster: 'No other supervisor is on the roster',
    incomingPick: 'Incoming supervisor', generate: 'Generate handover sheet', notesPlaceholder: 'Handover notes: what the next shift must watch…',
    sheetTitle: 'Handover sheet #{{id}} → {{to}}', signOff: 'Sign off', signedOk: 'Signed off; waiting for the incoming supervisor',
    incomingTitle: 'Handover #{{id}} from {{from}} (signed {{at}})', ackPlaceholder: 'Note (optional)', acknowledge: 'Acknowledge', ackOk: 'Acknowledged; the cases are yours now',
  },
};

export default locales;

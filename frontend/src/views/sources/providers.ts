// IMAP settings of the mail services Chinese shops use most, to fill the account form from a pick instead
// of looking them up. All serve IMAP over TLS on 993. appPassword: the service wants a client
// authorisation code (授权码) or app password generated in its web mail, not the login password.
export interface MailProvider {
  key: string;
  host: string;
  appPassword: boolean;
}

export const mailProviders: MailProvider[] = [
  { key: 'exmail', host: 'imap.exmail.qq.com', appPassword: false },
  { key: 'qiye163', host: 'imap.qiye.163.com', appPassword: false },
  { key: 'aliyun', host: 'imap.qiye.aliyun.com', appPassword: false },
  { key: 'qq', host: 'imap.qq.com', appPassword: true },
  { key: 'netease163', host: 'imap.163.com', appPassword: true },
  { key: 'netease126', host: 'imap.126.com', appPassword: true },
  { key: 'gmail', host: 'imap.gmail.com', appPassword: true },
];

export const providerOfHost = (host: string | undefined) => mailProviders.find((p) => p.host === host?.trim().toLowerCase());

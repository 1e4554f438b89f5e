// Prints the Ant Design styles of the start-up screens (first screen, sign-in, shell, board) as one CSS file,
// with the cache-path map @ant-design/cssinjs reads at run time: a component whose styles are in the file is
// not styled again in the browser, which spared the board's first paint a third of its script time in the
// web view. vite.config.ts runs this at build time (node, NODE_ENV=production, so the class hashes are the
// production ones) and bundles the output; see antdStartupCss there.
//
// The list is what the start-up screens render. A component missing from it still works: cssinjs styles it
// at run time as before. The theme must be the one App.tsx gives ConfigProvider, or no hash matches.
'use strict';
const React = require('react');
const { renderToString } = require('react-dom/server');
const { createCache, extractStyle, StyleProvider } = require('@ant-design/cssinjs');
const antd = require('antd');
const theme = require('../src/shell/theme.json');

const h = React.createElement;
const { Alert, Badge, Button, Card, ConfigProvider, Descriptions, Form, Input, Layout, Menu, Modal, Result, Segmented, Select, Skeleton, Space, Spin, Switch, Tag, Tooltip, Typography } = antd;

const screens = [
  // shell/StatusGate, views/people/SignInGate, shell/LangSwitch
  h(Spin, { size: 'large' }),
  h(Result, { status: 'warning', title: 'x', extra: h(Button, null, 'x') }),
  h(Alert, { type: 'error', showIcon: true, message: 'x', description: 'y' }),
  h(Descriptions, { size: 'small', column: 1, bordered: true, items: [{ key: 'a', label: 'a', children: 'b' }] }),
  h(Card, { title: 'x' }, 'y'),
  h(Form, { layout: 'vertical' }, h(Form.Item, { label: 'x', name: 'x', rules: [{ required: true }], extra: 'y' }, h(Input, { prefix: 'u' }))),
  h(Input.Password, { prefix: 'p' }),
  h(Input.TextArea),
  h(Typography.Title, { level: 4 }, 'x'),
  h(Typography.Text, { type: 'secondary' }, 'x'),
  h(Typography.Paragraph, null, 'x'),
  h(Segmented, { size: 'small', options: ['a', 'b'] }),
  // App.tsx shell
  h(Layout, null, h(Layout.Header), h(Layout, null, h(Layout.Sider, { theme: 'light' }), h(Layout.Content))),
  h(Menu, { mode: 'inline', items: [{ key: 'a', label: 'a' }] }),
  h(Button, { type: 'primary', size: 'small' }, 'x'),
  h(Button, { type: 'link', block: true }, 'x'),
  // views/board: toolbar, columns, cards, move dialog, saved views
  h(Input.Search, { allowClear: true }),
  h(Select, { allowClear: true, options: [] }),
  h(Switch, { size: 'small' }),
  h(Space, { wrap: true, size: 4 }, 'x'),
  h(Space.Compact, null, h(Button, null, 'x')),
  h(Tag, { color: 'red' }, 'x'),
  h(Tooltip, { title: 'x' }, h('span', null, 'x')),
  h(Badge, { count: 1, showZero: true }),
  h(Skeleton, { active: true, title: false, paragraph: { rows: 2 } }),
  h(Modal, { open: false }),
];

const cache = createCache();
renderToString(h(StyleProvider, { cache }, h(ConfigProvider, { theme }, ...screens)));
process.stdout.write(extractStyle(cache, { plain: true }));

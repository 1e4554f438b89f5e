import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import 'virtual:antd-startup.css';
import './styles.css';
import App from './App';
import { system } from './api';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
system.mark('script');

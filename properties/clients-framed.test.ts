import { classifyClients } from './clients';

classifyClients('framed');

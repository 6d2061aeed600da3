import { classifyClients } from './clients';

classifyClients('lesson');

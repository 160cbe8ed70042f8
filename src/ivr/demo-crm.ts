// The demo hotline's CRM: a few made-up customers served on Hotline's own API, so the demo flow's
// `http` step has something real to ask. A real site points that step at its own CRM instead.
import { z } from 'zod';
import { ApiError, type ApiRoutes } from '../api/index.js';

export interface DemoCustomer {
  number: string;
  name: string;
  tier: 'vip' | 'standard';
  language: 'zh' | 'en';
  openOrders: number;
  /** The agent who last spoke with them (routing tries them first). */
  lastAgent: string | null;
}

export const demoCustomers: readonly DemoCustomer[] = [
  { number: '+8613800138000', name: '张伟', tier: 'vip', language: 'zh', openOrders: 2, lastAgent: 'agent1' },
  {
    number: '+8613912345678',
    name: '李娜',
    tier: 'standard',
    language: 'zh',
    openOrders: 0,
    lastAgent: 'agent2',
  },
  {
    number: '+14155550123',
    name: 'Alex Morgan',
    tier: 'vip',
    language: 'en',
    openOrders: 1,
    lastAgent: 'agent3',
  },
  {
    number: '+442071234567',
    name: 'Sam Taylor',
    tier: 'standard',
    language: 'en',
    openOrders: 0,
    lastAgent: null,
  },
];

const params = z.object({ number: z.string().min(1).max(40) });

/** GET /api/demo-crm/customers/:number (the caller's number, + encoded as %2B). */
export const demoCrmRoutes: ApiRoutes = (app) => {
  app.get('/api/demo-crm/customers/:number', async (req) => {
    const { number } = params.parse(req.params);
    const customer = demoCustomers.find((c) => c.number === number || c.number === `+${number}`);
    if (!customer) throw new ApiError('HOTLINE_NOT_FOUND', `customer ${number}`);
    return Promise.resolve(customer);
  });
};

// The IVR's public face: the service the app starts, flow loading/validation/drawing for the
// CLI, its API routes and its errors.
export { startIvr, type IvrOptions, type IvrService } from './service.js';
export { ivrRoutes } from './api.js';
export { demoCustomers, type DemoCustomer } from './demo-crm.js';
export { FlowCatalog, loadFlowFiles, flowFilesIn } from './flow/catalog.js';
export { parseFlow, type LoadOptions, type LoadResult } from './flow/load.js';
export { renderFlow, type GraphFormat } from './flow/render.js';
export type { Flow } from './flow/flow.js';
export { IvrError, FlowError, formatProblem, type FlowProblem, type IvrErrorCode } from './errors.js';
export { IvrMetrics } from './metrics.js';
export { verbNames } from './verbs/index.js';

export { loadConfig, type Config } from './config/config.js'
export { startServer, type RunningServer } from './server.js'
export { openStore, type StoreOptions } from './store/create-store.js'
export type { Store } from './store/store.js'

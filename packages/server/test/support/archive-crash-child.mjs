// A process that runs the archive the way `interlog archive` does (same services, same database and
// target, configured by INTERLOG_* variables) in small chunks, and kills itself with SIGKILL when the
// run reaches the given step for the given time: `node archive-crash-child.mjs <step> <occurrence> <tenant id>`.
// Uses the built server (dist), like the CLI tests.
import { archiveSetupFrom } from '../../dist/archive/archive.config.js'
import { loadConfig } from '../../dist/config/config.js'
import { createServices } from '../../dist/services.js'
import { openStore } from '../../dist/store/create-store.js'

const [step, occurrence, tenantId] = [process.argv[2], Number(process.argv[3]), process.argv[4]]
const config = loadConfig(process.env)
const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, postgresSchema: config.databaseSchema, poolSize: 3 })
const setup = archiveSetupFrom(config)
setup.service.settings = { chunkRecords: 10, pageRows: 5, gzipLevel: 5 }
const services = createServices(store, { writerBatchRows: 100, archive: setup })
let seen = 0
await services.archive.run({
  actor: 'crash-test',
  tenantIds: [tenantId],
  dryRun: false,
  onEvent: (event) => {
    if (event.kind === 'step' && event.step === step && ++seen === occurrence) process.kill(process.pid, 'SIGKILL')
  },
})
await store.close()
process.stdout.write('finished without reaching the step\n')

import { CreateTenantInput, type Tenant } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { TenantStore } from '../store/store.js'

export class TenantsService {
  constructor(
    private readonly tenants: TenantStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  async create(actor: AuthContext, input: unknown): Promise<Tenant> {
    if (!actor.isRoot) throw new ForbiddenError('Only the root admin key can create tenants')
    const { name } = parseOrThrow(CreateTenantInput, input, 'tenant')
    if (await this.tenants.getByName(name)) throw new ConflictError(`A tenant named '${name}' already exists`)
    // Tenants are addressed by id or name (ids first): a name equal to another tenant's id could never be used.
    if (await this.tenants.getById(name)) throw new ConflictError(`'${name}' is another tenant's id; choose another name`)
    const tenant = { id: this.ids.next(), name, created_at: this.clock.now().toISOString() }
    try {
      await this.tenants.create(tenant)
    } catch (error) {
      // Another replica created the same name between our check and insert.
      if (await this.tenants.getByName(name)) throw new ConflictError(`A tenant named '${name}' already exists`)
      throw error
    }
    await this.audit.record(tenant.id, { actor, action: 'tenant.create', target: { type: 'tenant', id: tenant.id }, details: { name } })
    return tenant
  }

  async list(actor: AuthContext): Promise<Tenant[]> {
    if (actor.isRoot) return this.tenants.list()
    const own = await this.tenants.getById(actor.tenantId)
    return own ? [own] : []
  }

  /** Finds a tenant by id or name, as the CLI and admin routes accept either. Other tenants are invisible to non-root keys. */
  async resolve(actor: AuthContext, idOrName: string): Promise<Tenant> {
    const tenant = (await this.tenants.getById(idOrName)) ?? (await this.tenants.getByName(idOrName))
    if (!tenant || (!actor.isRoot && tenant.id !== actor.tenantId)) throw new NotFoundError(`Tenant '${idOrName}'`)
    return tenant
  }

  /** Creates the tenant unless it exists; safe when several replicas start at once. */
  async ensure(name: string): Promise<Tenant> {
    const existing = await this.tenants.getByName(name)
    if (existing) return existing
    try {
      const tenant = { id: this.ids.next(), name, created_at: this.clock.now().toISOString() }
      await this.tenants.create(tenant)
      return tenant
    } catch (error) {
      const raced = await this.tenants.getByName(name)
      if (raced) return raced
      throw error
    }
  }
}

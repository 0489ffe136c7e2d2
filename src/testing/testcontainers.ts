/**
 * koodrive-mock as a Testcontainers module (`koodrive-mock/testcontainers`; needs the
 * `testcontainers` package, 11.x, which a plain install of koodrive-mock does not pull in).
 *
 * @example
 * const mock = await new KooDriveMockContainer().withSeed(world).withFaults(rules).start()
 * const client = new MyKooDriveClient(`${mock.getBaseUrl()}/koodrive/ose/v1`)
 * await mock.getAdminClient().reset()
 * await mock.getAdminClient(`worker-${workerIndex}`).reset() // one worker's namespace only
 * await mock.stop()
 */
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'
import type { FaultRule } from '../../schemas/fault-rule.js'
import type { Seed } from '../../schemas/seed.js'
import { AdminClient } from './admin-client.js'
import { baseUrlOf, faultSettings, KOODRIVE_MOCK_IMAGE, KOODRIVE_MOCK_PORT, seedSettings } from './container-settings.js'
import { ADMIN_PREFIX } from '../admin/paths.js'

export { KOODRIVE_MOCK_IMAGE, KOODRIVE_MOCK_PORT }

/** The emulator's image, listening on KOODRIVE_MOCK_PORT, started once GET /__admin/health answers 200. */
export class KooDriveMockContainer extends GenericContainer {
  constructor(image: string = KOODRIVE_MOCK_IMAGE) {
    super(image)
    this.withExposedPorts(KOODRIVE_MOCK_PORT).withWaitStrategy(Wait.forHttp(`${ADMIN_PREFIX}/health`, KOODRIVE_MOCK_PORT).forStatusCode(200))
  }

  /** Starts from this world instead of the embedded one (copied in, named by MOCK_SEED_FILE). */
  withSeed(world: Seed): this {
    const { copy, environment } = seedSettings(world)
    return this.withCopyContentToContainer([copy]).withEnvironment(environment)
  }

  /** Starts with these fault rules (MOCK_FAULTS). */
  withFaults(rules: FaultRule[]): this {
    return this.withEnvironment(faultSettings(rules))
  }

  override async start(): Promise<StartedKooDriveMockContainer> {
    // The admin client sends the token the container was given, however it was given.
    return new StartedKooDriveMockContainer(await super.start(), this.environment.MOCK_ADMIN_TOKEN)
  }
}

export class StartedKooDriveMockContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly adminToken: string | undefined,
  ) {
    super(started)
  }

  /** e.g. http://127.0.0.1:32771; the KooDrive API is under `${getBaseUrl()}/koodrive/ose/v1`. */
  getBaseUrl(): string {
    return baseUrlOf(this.getHost(), this.getMappedPort(KOODRIVE_MOCK_PORT))
  }

  /**
   * The typed client of /__admin: reset, faults, the request journal, tasks, the clock; of the
   * namespace `namespace` when given (one container shared by parallel workers, each in its own).
   */
  getAdminClient(namespace?: string): AdminClient {
    return new AdminClient(this.getBaseUrl(), this.adminToken, namespace)
  }
}

import { v7 as uuidv7 } from 'uuid';
import type { In, MutationName } from '../../shared/contract/index.ts';
import type { EquipmentType, InsurancePolicy } from '../../shared/domain/carriers/schema.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { complianceProblems } from '../../shared/domain/loads/compliance.ts';
import { estimatedRoadMiles } from '../../shared/domain/loads/mileage.ts';
import type { LoadStatus } from '../../shared/domain/loads/schema.ts';
import type { Actor, ZipPlace } from '../../shared/domain/port.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { abaCheckDigit } from '../../shared/domain/validation/aba-routing.ts';
import type { UsState } from '../../shared/domain/validation/us-states.ts';
import { zipsInCity } from '../../db/reference/zip-directory.ts';
import { Engine } from '../../electron/engine/engine.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import { hashPassword } from '../../db/password.ts';
import { METROS } from './metros.ts';
import { CARRIER_TRADES, CARRIER_WORDS, COMMODITIES, COMPANY_SUFFIXES, CUSTOMER_TRADES, FIRST_NAMES, LAST_NAMES, PLACE_WORDS, STREETS } from './names.ts';
import { Random } from './random.ts';

export interface DemoOptions {
  loads: number;
  customers: number;
  carriers: number;
  seed: number;
  /** "Today" for the business: loads spread over the three years before it and two weeks after. */
  now: Date;
  /** Loads picked up within this many days of today (and all later ones) go through the command path. */
  recentDays: number;
}

export type Progress = (stage: 'customers' | 'carriers' | 'history' | 'recent', done: number, total: number) => void;

export const DEMO_PASSWORD = 'notchify demo';
export const DEMO_USERS: readonly { email: string; name: string; roles: Role[] }[] = [
  { email: 'ada@demo.notchify.test', name: 'Ada Admin', roles: ['ADMIN'] },
  { email: 'dee@demo.notchify.test', name: 'Dee Dispatch', roles: ['DISPATCHER'] },
  { email: 'dan@demo.notchify.test', name: 'Dan Dispatch', roles: ['DISPATCHER'] },
  { email: 'ann@demo.notchify.test', name: 'Ann Receivables', roles: ['AR_CLERK'] },
  { email: 'pat@demo.notchify.test', name: 'Pat Payables', roles: ['AP_CLERK'] },
  { email: 'carl@demo.notchify.test', name: 'Carl Controller', roles: ['CONTROLLER'] },
  { email: 'vic@demo.notchify.test', name: 'Vic Viewer', roles: ['VIEWER'] },
];

interface Metro {
  city: string;
  state: UsState;
  weight: number;
  zips: ZipPlace[];
}

interface CarrierSpec {
  id: string;
  companyName: string;
  status: 'ACTIVE' | 'ON_HOLD' | 'INACTIVE';
  authorityStatus: 'ACTIVE' | 'INACTIVE' | 'REVOKED';
  insurancePolicies: InsurancePolicy[];
  equipmentTypes: EquipmentType[];
  serviceAreas: UsState[];
}

interface Lane {
  origin: Metro;
  dest: Metro;
  equipment: EquipmentType;
  regulars: number[];
}

interface CustomerSpec {
  id: string;
  weight: number;
  lanes: Lane[];
}

interface Command {
  name: MutationName;
  args: unknown;
  actor: Actor;
  at: Date;
}

const DAY = 86_400_000;
const RPM_CENTS: Partial<Record<EquipmentType, number>> = { DRY_VAN: 235, REEFER: 275, FLATBED: 290, STEP_DECK: 320, POWER_ONLY: 190, CONESTOGA: 330 };
const EQUIPMENT_MIX: readonly (readonly [EquipmentType, number])[] = [
  ['DRY_VAN', 55], ['REEFER', 20], ['FLATBED', 14], ['STEP_DECK', 4], ['POWER_ONLY', 4], ['CONESTOGA', 3],
];

const localTime = (d: Date) => d.toISOString().slice(0, 16);
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

export async function generateDemoData(dataDir: string, options: DemoOptions, progress: Progress = () => undefined) {
  const rnd = new Random(options.seed);
  let simNow = new Date(options.now.getTime() - 3 * 365 * DAY - 10 * DAY);
  const engine = Engine.open({ dataDir, keyStore: new KeyFileStore(dataDir), clock: () => simNow });
  try {
    if ((engine.db.$client.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n > 0) {
      throw new Error(`${dataDir} already holds a workspace. Point NOTCHIFY_DATA_DIR at an empty folder for demo data.`);
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const admin = await setUpUsers(engine, passwordHash);
    const actors = new Map(DEMO_USERS.map((u) => [u.email.split('@')[0] ?? '', admin.get(u.email) as Actor]));
    const actor = (name: string): Actor => {
      const a = actors.get(name);
      if (!a) throw new Error(`no demo user ${name}`);
      return a;
    };

    const metros: Metro[] = METROS.map(([city, state, weight]) => ({ city, state, weight, zips: zipsInCity(city, state) })).filter((m) => m.zips.length > 0);
    const metroWeights = metros.map((m) => [m, m.weight] as const);
    /** Most truckload freight is regional: destinations weighted by size and by nearness. */
    const destinationWeights = new Map(
      metros.map((origin) => {
        const from = origin.zips[0] as ZipPlace;
        const weights = metros
          .filter((m) => m !== origin)
          .map((m) => [m, m.weight / (1 + estimatedRoadMiles(from, m.zips[0] as ZipPlace) / 400) ** 1.5] as const);
        return [origin, weights] as const;
      }),
    );
    const destinationFor = (origin: Metro) => rnd.weighted(destinationWeights.get(origin) ?? metroWeights);

    // Customers: real addresses in freight metros, a few favourite lanes each.
    const customers: CustomerSpec[] = [];
    for (let i = 0; i < options.customers; i++) {
      const home = rnd.weighted(metroWeights);
      const zip = rnd.pick(home.zips);
      const name = `${rnd.pick(PLACE_WORDS)} ${rnd.pick(CUSTOMER_TRADES)} ${rnd.pick(COMPANY_SUFFIXES)}`;
      const slug = `${name.toLowerCase().replace(/[^a-z]+/g, '')}${String(i)}`;
      const contact = `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`;
      const id = uuidv7();
      const heavy = rnd.chance(0.1);
      const input: In<'customers.create'> = {
        id,
        companyName: name,
        contactName: contact,
        email: `shipping@${slug}.test`,
        phone: `(${String(rnd.int(201, 989))}) 555-${String(rnd.int(1000, 9999))}`,
        billingEmail: `ap@${slug}.test`,
        billingAddress: { line1: `${String(rnd.int(100, 9999))} ${rnd.pick(STREETS)}`, city: zip.city, state: zip.state as UsState, zip: zip.zip },
        creditLimitCents: heavy ? rnd.pick([50_000_000, 75_000_000, 100_000_000]) : rnd.pick([5_000_000, 10_000_000, 15_000_000, 25_000_000]),
        paymentTerms: rnd.weighted([['NET_30', 60], ['NET_15', 15], ['NET_45', 15], ['NET_60', 5], ['DUE_ON_RECEIPT', 5]] as const),
        requiredDocuments: rnd.chance(0.3) ? ['POD', 'BOL'] : ['POD'],
      };
      await engine.mutate('customers.create', input, actor('ada'));
      const lanes: Lane[] = Array.from({ length: rnd.int(2, 6) }, () => {
        const origin = rnd.chance(0.6) ? home : rnd.weighted(metroWeights);
        return { origin, dest: destinationFor(origin), equipment: rnd.weighted(EQUIPMENT_MIX), regulars: [] };
      });
      customers.push({ id, weight: heavy ? rnd.int(20, 60) : rnd.int(1, 6), lanes });
      if (i % 100 === 0) progress('customers', i, options.customers);
    }
    progress('customers', options.customers, options.customers);

    // Carriers: mostly compliant; some expired, underinsured, without authority, on hold.
    const carriers: CarrierSpec[] = [];
    const byEquipmentState = new Map<string, number[]>();
    const states = [...new Set(metros.map((m) => m.state))];
    for (let i = 0; i < options.carriers; i++) {
      const home = rnd.weighted(metroWeights);
      const zip = rnd.pick(home.zips);
      const name = rnd.weighted([
        [`${rnd.pick(CARRIER_WORDS)} ${rnd.pick(CARRIER_TRADES)}`, 4],
        [`${rnd.pick(LAST_NAMES)} ${rnd.pick(CARRIER_TRADES)}`, 3],
        [`${rnd.pick(LAST_NAMES)} & Sons ${rnd.pick(CARRIER_TRADES)}`, 1],
        [`${String.fromCharCode(65 + rnd.int(0, 25), 65 + rnd.int(0, 25), 65 + rnd.int(0, 25))} ${rnd.pick(CARRIER_TRADES)}`, 2],
      ] as const) + rnd.pick([' LLC', ' Inc.', ' LLC', ' Co.', '']);
      const equipment = [rnd.weighted(EQUIPMENT_MIX)];
      if (rnd.chance(0.25)) equipment.push(rnd.weighted(EQUIPMENT_MIX));
      const serviceAreas = [...new Set([home.state, ...rnd.sample(states, rnd.int(2, 11))])];
      const roll = rnd.next();
      const expires = roll < 0.05 ? dateOnly(new Date(options.now.getTime() - rnd.int(5, 80) * DAY)) : dateOnly(new Date(options.now.getTime() + rnd.int(60, 700) * DAY));
      const policies: InsurancePolicy[] = [
        { type: 'AUTO_LIABILITY', insurer: rnd.pick(['Great West Casualty', 'Progressive Commercial', 'Northland', 'Canal Insurance']), policyNumber: `AL-${String(100000 + i)}`, coverageCents: roll > 0.05 && roll < 0.07 ? 75_000_000 : 100_000_000, expiresOn: expires },
      ];
      if (!(roll > 0.07 && roll < 0.09)) {
        policies.push({ type: 'CARGO', insurer: 'Great West Casualty', policyNumber: `CG-${String(100000 + i)}`, coverageCents: rnd.pick([10_000_000, 25_000_000]), expiresOn: expires });
      }
      const id = uuidv7();
      const first8 = `${String(rnd.pick([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 26, 31])).padStart(2, '0')}${String(rnd.int(100000, 999999))}`;
      const input: In<'carriers.create'> = {
        id,
        companyName: name,
        contactName: `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`,
        email: `dispatch${String(i)}@carrier${String(i)}.test`,
        phone: `(${String(rnd.int(201, 989))}) 555-${String(rnd.int(1000, 9999))}`,
        mcNumber: String(300_000 + i * 13),
        dotNumber: String(1_500_000 + i * 17),
        authorityStatus: rnd.weighted([['ACTIVE', 975], ['INACTIVE', 20], ['REVOKED', 5]] as const),
        address: { line1: `${String(rnd.int(10, 9999))} ${rnd.pick(STREETS)}`, city: zip.city, state: zip.state as UsState, zip: zip.zip },
        insurancePolicies: policies,
        equipmentTypes: equipment,
        serviceAreas,
        rating: Math.round((2.5 + rnd.next() * 2.5) * 10) / 10,
        bankAccount: rnd.chance(0.7)
          ? { routingNumber: first8 + String(abaCheckDigit(first8)), accountNumber: String(rnd.int(10_000_000, 999_999_999)), accountType: 'CHECKING', holderName: name }
          : null,
      };
      await engine.mutate('carriers.create', input, actor('pat'));
      const status = rnd.weighted([['ACTIVE', 95], ['ON_HOLD', 3], ['INACTIVE', 2]] as const);
      if (status !== 'ACTIVE') await engine.mutate('carriers.setStatus', { id, expectedVersion: 1, status }, actor('pat'));
      const spec: CarrierSpec = { id, companyName: name, status, authorityStatus: input.authorityStatus ?? 'ACTIVE', insurancePolicies: policies, equipmentTypes: [...new Set(equipment)], serviceAreas };
      carriers.push(spec);
      for (const e of spec.equipmentTypes) for (const s of serviceAreas) {
        const key = `${e}:${s}`;
        const list = byEquipmentState.get(key) ?? [];
        list.push(i);
        byEquipmentState.set(key, list);
      }
      if (i % 200 === 0) progress('carriers', i, options.carriers);
    }
    progress('carriers', options.carriers, options.carriers);

    const compliantFor = (index: number, equipment: EquipmentType, pickupDate: string) => {
      const c = carriers[index];
      return c !== undefined && complianceProblems(c, { equipmentType: equipment, pickupDate }).length === 0;
    };

    /** A lane's regular carriers (chosen once), else anyone compliant serving either end. */
    const chooseCarrier = (lane: Lane, pickupDate: string): CarrierSpec | null => {
      if (lane.regulars.length === 0) {
        const pool = [...(byEquipmentState.get(`${lane.equipment}:${lane.origin.state}`) ?? []), ...(byEquipmentState.get(`${lane.equipment}:${lane.dest.state}`) ?? [])];
        lane.regulars = rnd.sample(pool, 4);
      }
      const regulars = lane.regulars.filter((i) => compliantFor(i, lane.equipment, pickupDate));
      if (regulars.length > 0 && rnd.chance(0.8)) return carriers[rnd.pick(regulars)] ?? null;
      const pool = byEquipmentState.get(`${lane.equipment}:${lane.origin.state}`) ?? [];
      for (let attempt = 0; attempt < 20 && pool.length > 0; attempt++) {
        const i = rnd.pick(pool);
        if (compliantFor(i, lane.equipment, pickupDate)) return carriers[i] ?? null;
      }
      return null;
    };

    // Loads, in pickup order over three years and two weeks ahead.
    const span = 3 * 365 * DAY + 14 * DAY;
    const start = options.now.getTime() - 3 * 365 * DAY;
    const recentFrom = options.now.getTime() - options.recentDays * DAY;
    const customerWeights = customers.map((c) => [c, c.weight] as const);
    const dispatchers = [actor('dee'), actor('dan')];
    const historyLoads: number[] = [];
    const recentLoads: number[] = [];
    const pickups: number[] = [];
    for (let i = 0; i < options.loads; i++) {
      const pickup = start + Math.floor((i / options.loads) * span) + rnd.int(0, 6) * 3_600_000;
      pickups.push(pickup);
      (pickup < recentFrom ? historyLoads : recentLoads).push(i);
    }

    /** All the commands of one load's life, up to where "today" leaves it. */
    const lifeOf = (i: number): Command[] => {
      const pickupAt = new Date(pickups[i] ?? 0);
      pickupAt.setUTCHours(rnd.int(6, 13), 0, 0, 0);
      const customer = rnd.weighted(customerWeights);
      const lane = rnd.pick(customer.lanes);
      const oz = rnd.pick(lane.origin.zips);
      const dz = rnd.pick(lane.dest.zips);
      const miles = estimatedRoadMiles(oz, dz);
      const transitDays = Math.max(1, Math.ceil(miles / 500));
      const deliveryAt = new Date(pickupAt.getTime() + transitDays * DAY);
      deliveryAt.setUTCHours(rnd.int(6, 14), 0, 0, 0);
      const deliveryEnd = new Date(deliveryAt.getTime() + 4 * 3_600_000);
      const linehaul = Math.max(35_000, Math.round((miles * (RPM_CENTS[lane.equipment] ?? 250) * (0.85 + rnd.next() * 0.35)) / 100) * 100);
      const fuel = Math.round((miles * 45) / 100) * 100;
      const accessorials = rnd.chance(0.08) ? [{ code: rnd.pick(['DETENTION', 'LUMPER'] as const), amountCents: rnd.int(3, 12) * 2_500 }] : [];
      const total = linehaul + fuel + accessorials.reduce((s, a) => s + a.amountCents, 0);
      const dispatcher = rnd.pick(dispatchers);
      const id = uuidv7();
      const now = options.now.getTime();
      const commodities = COMMODITIES[lane.equipment] as readonly string[];
      const create: In<'loads.create'> = {
        id,
        customerId: customer.id,
        origin: { line1: `${String(rnd.int(100, 9999))} ${rnd.pick(STREETS)}`, city: oz.city, state: oz.state as UsState, zip: oz.zip, windowStart: localTime(pickupAt), windowEnd: localTime(new Date(pickupAt.getTime() + 2 * 3_600_000)) },
        destination: { line1: `${String(rnd.int(100, 9999))} ${rnd.pick(STREETS)}`, city: dz.city, state: dz.state as UsState, zip: dz.zip, windowStart: localTime(deliveryAt), windowEnd: localTime(deliveryEnd) },
        cargo: { commodity: rnd.pick(commodities), weightLbs: rnd.int(8, 44) * 1000, pieces: rnd.int(1, 30), hazmat: false },
        equipmentType: lane.equipment,
        linehaulCents: linehaul,
        fuelSurchargeCents: fuel,
        accessorials,
        targetCarrierRateCents: Math.round((total * 0.85) / 500) * 500,
        poNumber: `PO-${String(rnd.int(10000, 99999))}`,
        bolNumber: rnd.chance(0.6) ? `BOL${String(rnd.int(100000, 999999))}` : null,
      };
      // Entered a day or more before it is booked (booking happens 12–30 hours before pickup).
      const commands: Command[] = [{ name: 'loads.create', args: create, actor: dispatcher, at: new Date(pickupAt.getTime() - 31 * 3_600_000 - rnd.int(1, 4) * DAY) }];
      const cancelled = rnd.chance(0.03);
      if (pickupAt.getTime() > now + 2 * DAY && rnd.chance(0.4)) return commands;
      const carrier = chooseCarrier(lane, dateOnly(pickupAt));
      if (!carrier) return commands;
      let version = 1;
      const next = (name: MutationName, args: Record<string, unknown>, at: Date, who: Actor = dispatcher) => {
        commands.push({ name, args: { id, expectedVersion: version, ...args }, actor: who, at });
        version++;
      };
      if (cancelled && rnd.chance(0.4)) {
        next('loads.cancel', { reason: 'Shipper cancelled the order', tonuCents: null }, new Date(pickupAt.getTime() - DAY));
        return commands;
      }
      const rate = Math.round((total * (0.8 + rnd.next() * 0.1)) / 500) * 500;
      const bookedAt = new Date(pickupAt.getTime() - rnd.int(12, 30) * 3_600_000);
      next('loads.book', { carrierId: carrier.id, carrierRateCents: rate, note: null }, bookedAt);
      if (pickupAt.getTime() > now) {
        // Trucks rolling toward a pickup later today are dispatched already (after their booking).
        if (pickupAt.getTime() - now < 12 * 3_600_000 && rnd.chance(0.8)) {
          const dispatchedAt = new Date(Math.min(now, Math.max(bookedAt.getTime() + 600_000, now - rnd.int(10, 120) * 60_000)));
          next('loads.transition', { to: 'DISPATCHED', occurredAt: localTime(dispatchedAt), location: null, note: null }, dispatchedAt);
        }
        return commands;
      }
      next('loads.transition', { to: 'DISPATCHED', occurredAt: localTime(new Date(pickupAt.getTime() - 3 * 3_600_000)), location: null, note: null }, new Date(pickupAt.getTime() - 3 * 3_600_000));
      if (cancelled) {
        next('loads.cancel', { reason: 'Freight not ready at the dock', tonuCents: 25_000 }, pickupAt);
        return commands;
      }
      const pickedUp = new Date(pickupAt.getTime() + rnd.int(0, 90) * 60_000);
      next('loads.transition', { to: 'IN_TRANSIT', occurredAt: localTime(pickedUp), location: { city: oz.city, state: oz.state }, note: null }, pickedUp);
      const late = rnd.chance(0.08);
      const delivered = late ? new Date(deliveryEnd.getTime() + rnd.int(60, 360) * 60_000) : new Date(deliveryEnd.getTime() - rnd.int(30, 240) * 60_000);
      const midway = new Date((pickedUp.getTime() + delivered.getTime()) / 2);
      if (midway.getTime() < now && (delivered.getTime() > now || rnd.chance(0.5))) {
        commands.push({
          name: 'loads.checkCall',
          args: { id, location: { city: rnd.chance(0.5) ? oz.city : dz.city, state: rnd.chance(0.5) ? oz.state : dz.state }, status: late ? 'DELAYED' : 'EN_ROUTE', etaAt: localTime(delivered), occurredAt: localTime(midway), note: late ? 'Running behind: traffic and weather' : null },
          actor: dispatcher,
          at: midway,
        });
        version++;
      }
      if (delivered.getTime() > now) return commands;
      next('loads.transition', { to: 'DELIVERED', occurredAt: localTime(delivered), location: { city: dz.city, state: dz.state }, note: null }, delivered);
      const invoiced = new Date(delivered.getTime() + rnd.int(1, 4) * DAY);
      if (invoiced.getTime() > now) return commands;
      next('loads.transition', { to: 'INVOICED', occurredAt: localTime(invoiced), location: null, note: null }, invoiced);
      const closed = new Date(invoiced.getTime() + rnd.int(20, 50) * DAY);
      if (closed.getTime() > now) return commands;
      next('loads.transition', { to: 'CLOSED', occurredAt: localTime(closed), location: null, note: null }, closed);
      return commands;
    };

    function* historyCommands(): Generator<{ name: MutationName; args: unknown; actor: Actor }> {
      for (const i of historyLoads) {
        for (const c of lifeOf(i)) {
          simNow = c.at;
          yield c;
        }
      }
    }
    let historyMutations = 0;
    progress('history', 0, historyLoads.length);
    historyMutations = await engine.importHistory(historyCommands(), {
      batchSize: 5000,
      onBatch: (done) => progress('history', Math.min(historyLoads.length, Math.round(done / 7)), historyLoads.length),
    });
    progress('history', historyLoads.length, historyLoads.length);

    // The last weeks and the open loads: every step a real command, with outbox and audit.
    let overrides = 0;
    let recentMutations = 0;
    const recent = recentLoads.flatMap((i) => lifeOf(i)).sort((a, b) => a.at.getTime() - b.at.getTime());
    const versions = new Map<string, number>();
    for (const [n, c] of recent.entries()) {
      simNow = c.at;
      const args = { ...(c.args as Record<string, unknown>) };
      const id = String(args.id);
      if ('expectedVersion' in args) args.expectedVersion = versions.get(id) ?? 1;
      try {
        const result = (await engine.mutate(c.name, args, c.actor)) as { version: number };
        versions.set(id, result.version);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'CREDIT_LIMIT_EXCEEDED' || c.name !== 'loads.book') throw error;
        const override = (await engine.mutate('loads.overrideCredit', { id, expectedVersion: versions.get(id) ?? 1, reason: 'Long-standing customer; paid on time for years' }, actor('carl'))) as { version: number };
        const result = (await engine.mutate('loads.book', { ...args, expectedVersion: override.version }, c.actor)) as { version: number };
        versions.set(id, result.version);
        overrides++;
      }
      recentMutations++;
      if (n % 200 === 0) progress('recent', n, recent.length);
    }
    progress('recent', recent.length, recent.length);

    // A few customers on credit hold, a few gone quiet.
    simNow = options.now;
    for (const c of rnd.sample(customers, Math.ceil(customers.length * 0.015))) {
      const v = (engine.db.$client.prepare('SELECT version FROM customers WHERE id = ?').get(c.id) as { version: number }).version;
      await engine.mutate('customers.setStatus', { id: c.id, expectedVersion: v, status: rnd.chance(0.7) ? 'ON_HOLD' : 'INACTIVE' }, actor('carl'));
    }

    const counts = engine.db.$client
      .prepare("SELECT (SELECT count(*) FROM loads) AS loads, (SELECT count(*) FROM load_events) AS events, (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM audit_log) AS audit")
      .get() as { loads: number; events: number; outbox: number; audit: number };
    const statuses = engine.db.$client.prepare('SELECT status, count(*) AS n FROM loads GROUP BY status ORDER BY n DESC').all() as { status: LoadStatus; n: number }[];
    return { ...counts, statuses, historyMutations, recentMutations, overrides };
  } finally {
    simNow = new Date();
    await engine.close();
  }
}

async function setUpUsers(engine: Engine, passwordHash: string): Promise<Map<string, Actor>> {
  const actors = new Map<string, Actor>();
  const [first, ...rest] = DEMO_USERS;
  if (!first) throw new Error('no demo users');
  const adminId = uuidv7();
  await engine.mutate(
    'workspace.setup',
    { workspaceName: 'Lone Star Logistics (demo)', name: first.name, email: first.email, workspaceId: uuidv7(), userId: adminId, passwordHash },
    { userId: adminId, roles: ['ADMIN'] },
  );
  const admin: Actor = { userId: adminId, roles: ['ADMIN'] };
  actors.set(first.email, admin);
  for (const user of rest) {
    const id = uuidv7();
    await engine.mutate('users.create', { id, email: user.email, name: user.name, roles: user.roles, passwordHash }, admin);
    actors.set(user.email, { userId: id, roles: user.roles });
  }
  return actors;
}

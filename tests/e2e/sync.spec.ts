import { expect, test, type Browser, type Page } from '@playwright/test';
import { HostApi } from './support/api.ts';
import { startSyncServer, type RunningSyncServer } from './support/sync-server.ts';
import { shot, startWebHost, type RunningHost } from './support/web-host.ts';

// Two sync-server starts on PGlite and two first syncs: allow more than the default minute.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const PASSWORD = 'a long password';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const policies = [
  { type: 'AUTO_LIABILITY' as const, insurer: 'Great West', policyNumber: 'AL-1', coverageCents: 100_000_000, expiresOn: day(365) },
  { type: 'CARGO' as const, insurer: 'Great West', policyNumber: 'CG-1', coverageCents: 10_000_000, expiresOn: day(365) },
];

let server: RunningSyncServer;
const hosts: RunningHost[] = [];
const pages: Page[] = [];
let loadNumber = '';
let loadId = '';

/** A desktop: its own web host (engine, SQLite file) in its own browser context. */
async function desktop(browser: Browser): Promise<{ host: RunningHost; page: Page }> {
  const host = await startWebHost();
  hosts.push(host);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  pages.push(page);
  await page.goto(host.url);
  return { host, page };
}

async function connectThroughUi(page: Page, email: string, screenshot?: string) {
  await page.getByRole('button', { name: 'Connect to its server' }).click();
  const form = page.getByRole('form', { name: 'Connect to a server' });
  await form.getByLabel('Server address').fill(server.url);
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  if (screenshot) await shot(page, screenshot);
  await form.getByRole('button', { name: 'Connect and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dispatch board' })).toBeVisible({ timeout: 30_000 });
}

test.beforeAll(async () => {
  server = await startSyncServer({ email: 'ada@lonestar.test', name: 'Ada Admin', workspace: 'Lone Star Logistics', password: PASSWORD });
  // The administrator's own workstation sets up the team and the first load, through the real API.
  const adminHost = await startWebHost();
  hosts.push(adminHost);
  const admin = await new HostApi(adminHost.url).open();
  await admin.call('sync.connect', { serverUrl: server.url, email: 'ada@lonestar.test', password: PASSWORD });
  await admin.call('users.create', { email: 'dee@lonestar.test', name: 'Dee Dispatch', roles: ['DISPATCHER'], password: PASSWORD });
  await admin.call('users.create', { email: 'dan@lonestar.test', name: 'Dan Dispatch', roles: ['DISPATCHER'], password: PASSWORD });
  const address = { line1: '100 Commerce St', city: 'Dallas', state: 'TX' as const, zip: '75202' };
  const customer = await admin.call('customers.create', { companyName: 'Acme Foods Inc.', contactName: 'Rita Ruiz', email: 'ship@acme.test', billingEmail: 'ap@acme.test', billingAddress: address, creditLimitCents: 5_000_000, paymentTerms: 'NET_30' });
  const carrier = { contactName: 'Sam Cole', equipmentTypes: ['DRY_VAN' as const], bankAccount: null, serviceAreas: ['TX' as const, 'OK' as const], rating: 4.5, insurancePolicies: policies };
  await admin.call('carriers.create', { ...carrier, companyName: 'Red River Trucking LLC', email: 'rr@carrier.test', mcNumber: '123456', dotNumber: '2345678' });
  await admin.call('carriers.create', { ...carrier, companyName: 'Panhandle Freight', email: 'pf@carrier.test', mcNumber: '333333', dotNumber: '3333333' });
  const stop = (offset: number, city: string, state: 'TX' | 'OK', zip: string) => ({
    line1: '1 Dock Rd',
    city,
    state,
    zip,
    windowStart: `${day(offset)}T08:00`,
    windowEnd: `${day(offset)}T12:00`,
  });
  const load = await admin.call('loads.create', {
    customerId: customer.id,
    origin: stop(3, 'Dallas', 'TX', '75202'),
    destination: stop(4, 'Oklahoma City', 'OK', '73102'),
    cargo: { commodity: 'Canned goods', weightLbs: 38_000, pieces: 22, hazmat: false },
    equipmentType: 'DRY_VAN',
    linehaulCents: 150_000,
    fuelSurchargeCents: 25_000,
    accessorials: [],
  });
  await admin.call('sync.now', {});
  loadId = load.id;
  loadNumber = (await admin.call('loads.get', { id: load.id })).loadNumber;
});

test.afterAll(async () => {
  for (const page of pages) await page.context().close();
  for (const host of hosts) await host.stop();
  await server.dispose();
});

async function openLoad(page: Page, host: RunningHost) {
  await page.goto(`${host.url}#/loads/${loadId}`);
  await expect(page.getByRole('heading', { name: `Load ${loadNumber}` })).toBeVisible();
}

async function bookOffline(page: Page, host: RunningHost, carrier: string) {
  await openLoad(page, host);
  await page.getByRole('button', { name: 'Book carrier' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: `Choose ${carrier}` }).click();
  await dialog.getByRole('button', { name: `Book ${carrier}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Load summary')).toContainText(carrier);
}

test('two desktops connect to one server; conflicting offline bookings: one wins, the other shows in Sync issues', async ({ browser }) => {
  const dee = await desktop(browser);
  await connectThroughUi(dee.page, 'dee@lonestar.test', 'sync-01-connect');
  const dan = await desktop(browser);
  await connectThroughUi(dan.page, 'dan@lonestar.test');
  await expect(dee.page.getByRole('link', { name: /^Sync: Online/ })).toBeVisible();
  await shot(dee.page, 'sync-02-board-online');

  await server.stop();
  await bookOffline(dee.page, dee.host, 'Red River Trucking LLC');
  await bookOffline(dan.page, dan.host, 'Panhandle Freight');
  for (const d of [dee, dan]) await expect(d.page.getByRole('link', { name: /^Sync: Offline · 1 waiting/ })).toBeVisible({ timeout: 20_000 });
  await shot(dan.page, 'sync-03-offline-booked');

  await server.start();
  // Whichever desktop reaches the server first wins (a background retry may beat "Sync now"):
  // the server orders the two bookings, and the other one is refused and lands in its inbox.
  const booked = new Map([
    [dee, { carrier: 'Red River Trucking LLC', user: 'Dee Dispatch' }],
    [dan, { carrier: 'Panhandle Freight', user: 'Dan Dispatch' }],
  ]);
  for (const d of [dee, dan]) {
    await d.page.getByRole('link', { name: /^Sync:/ }).click();
    await d.page.getByRole('button', { name: 'Sync now' }).click();
  }
  for (const d of [dee, dan]) {
    await d.page.getByRole('button', { name: 'Sync now' }).click();
    await expect(d.page.getByRole('link', { name: /^Sync: Online · up to date/ })).toBeVisible({ timeout: 20_000 });
    await expect(d.page.getByText('No sync issues').or(d.page.getByRole('table', { name: 'Sync issues' }))).toBeVisible();
  }
  const deeIssues = await dee.page.getByRole('table', { name: 'Sync issues' }).count();
  const danIssues = await dan.page.getByRole('table', { name: 'Sync issues' }).count();
  expect(deeIssues + danIssues, 'exactly one desktop has a sync issue').toBe(1);
  const [loser, winner] = deeIssues === 1 ? [dee, dan] : [dan, dee];
  const lost = booked.get(loser);
  const won = booked.get(winner);
  await expect(winner.page.getByText('No sync issues')).toBeVisible();
  const inbox = loser.page.getByRole('table', { name: 'Sync issues' });
  await expect(inbox).toContainText(loadNumber);
  await expect(inbox).toContainText(lost?.carrier ?? '');
  await expect(inbox).toContainText(won?.user ?? '');
  await expect(loser.page.getByRole('link', { name: /1 issue/ })).toBeVisible();
  await shot(loser.page, 'sync-04-issues-inbox');

  // After sync both desktops show the winner.
  for (const d of [dee, dan]) {
    await openLoad(d.page, d.host);
    await expect(d.page.getByLabel('Load summary')).toContainText(won?.carrier ?? '');
  }
  await shot(loser.page, 'sync-05-winner-after-sync');

  await loser.page.getByRole('link', { name: /^Sync:/ }).click();
  await loser.page.getByRole('button', { name: /^Discard:/ }).click();
  await expect(loser.page.getByText('No sync issues')).toBeVisible();
});

test('a server restored from a backup: the desktop syncs everything again from it and says so', async () => {
  const page = pages[0];
  if (!page) throw new Error('the first test opens the desktops');
  await server.stop();
  server.afterRestore();
  await server.start();
  await page.getByRole('link', { name: /^Sync:/ }).click();
  // The first request may find its kept-alive connection to the old process gone; then again.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('link', { name: /^Sync: Online · up to date/ })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/The sync server was restored from a backup/)).toBeVisible();
  await shot(page, 'sync-06-after-restore');
  await openLoad(page, hosts[1] as RunningHost);
  await expect(page.getByLabel('Load summary')).toBeVisible();
});

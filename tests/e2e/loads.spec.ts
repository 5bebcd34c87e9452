import { expect, test, type Browser, type Page } from '@playwright/test';
import { HostApi } from './support/api.ts';
import { shot, startWebHost, type RunningHost } from './support/web-host.ts';

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'a long password';
const DISPATCHER = { email: 'dee@lonestar.test', password: PASSWORD };
const CONTROLLER = { email: 'carl@lonestar.test', password: PASSWORD };

let host: RunningHost;
let page: Page;

/** YYYY-MM-DD and YYYY-MM-DDTHH:mm, days from today (the tests run against the real clock). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const at = (offset: number, hour: number) => `${day(offset)}T${String(hour).padStart(2, '0')}:00`;

const policies = (expiresOn: string) => [
  { type: 'AUTO_LIABILITY' as const, insurer: 'Great West', policyNumber: 'AL-1', coverageCents: 100_000_000, expiresOn },
  { type: 'CARGO' as const, insurer: 'Great West', policyNumber: 'CG-1', coverageCents: 10_000_000, expiresOn: day(365) },
];

test.beforeAll(async ({ browser }) => {
  host = await startWebHost();
  const admin = await new HostApi(host.url).open();
  await admin.call('workspace.setup', { workspaceName: 'Lone Star Logistics', name: 'Ada Admin', email: 'ada@lonestar.test', password: PASSWORD });
  await admin.call('users.create', { email: DISPATCHER.email, name: 'Dee Dispatch', roles: ['DISPATCHER'], password: PASSWORD });
  await admin.call('users.create', { email: CONTROLLER.email, name: 'Carl Controller', roles: ['CONTROLLER'], password: PASSWORD });
  const address = { line1: '100 Commerce St', city: 'Dallas', state: 'TX' as const, zip: '75202' };
  await admin.call('customers.create', { companyName: 'Acme Foods Inc.', contactName: 'Rita Ruiz', email: 'ship@acme.test', billingEmail: 'ap@acme.test', billingAddress: address, creditLimitCents: 5_000_000, paymentTerms: 'NET_30' });
  await admin.call('customers.create', { companyName: 'Tight Credit Co', contactName: 'Tom Tight', email: 'ship@tight.test', billingEmail: 'ap@tight.test', billingAddress: address, creditLimitCents: 200_000, paymentTerms: 'NET_30' });
  const carrier = { contactName: 'Sam Cole', equipmentTypes: ['DRY_VAN' as const], bankAccount: null };
  await admin.call('carriers.create', { ...carrier, companyName: 'Red River Trucking LLC', email: 'rr@carrier.test', mcNumber: '123456', dotNumber: '2345678', serviceAreas: ['TX', 'OK'], rating: 4.6, insurancePolicies: policies(day(365)) });
  await admin.call('carriers.create', { ...carrier, companyName: 'Lapsed Lines LLC', email: 'll@carrier.test', mcNumber: '222222', dotNumber: '2222222', serviceAreas: ['TX', 'OK'], rating: 4.9, insurancePolicies: policies(day(-10)) });
  await admin.call('carriers.create', { ...carrier, companyName: 'Panhandle Freight', email: 'pf@carrier.test', mcNumber: '333333', dotNumber: '3333333', serviceAreas: ['TX'], rating: 3.8, insurancePolicies: policies(day(200)) });
  page = await signedIn(browser, DISPATCHER);
});

test.afterAll(async () => {
  await page.context().close();
  await host.stop();
});

async function signedIn(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await context.newPage();
  await p.goto(host.url);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password', { exact: true }).fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await expect(p.getByRole('heading', { name: 'Dispatch board' })).toBeVisible();
  return p;
}

async function enterLoad(p: Page, customer: string, linehaul: string) {
  await p.getByRole('button', { name: 'New load' }).click();
  const form = p.getByRole('form', { name: 'Load details' });
  await form.getByRole('combobox', { name: 'Customer' }).fill(customer.slice(0, 5));
  await p.getByRole('option', { name: customer }).click();
  const origin = form.getByRole('group', { name: 'Origin' });
  await origin.getByLabel('ZIP').fill('75202');
  await expect(origin.getByLabel('City')).toHaveValue('Dallas');
  await expect(origin.getByRole('combobox', { name: 'State' })).toHaveValue('TX · Texas');
  await origin.getByLabel('Street').fill('2500 Shipping Dr');
  await form.getByLabel('Pickup window opens').fill(at(3, 8));
  await form.getByLabel('Pickup window closes').fill(at(3, 12));
  const destination = form.getByRole('group', { name: 'Destination' });
  await destination.getByLabel('ZIP').fill('73102');
  await expect(destination.getByLabel('City')).toHaveValue('Oklahoma City');
  await destination.getByLabel('Street').fill('40 Receiving Ave');
  await form.getByLabel('Delivery window opens').fill(at(4, 8));
  await form.getByLabel('Delivery window closes').fill(at(4, 16));
  await form.getByLabel('Commodity').fill('Canned goods');
  await form.getByLabel('Weight (lb)').fill('38000');
  await form.getByLabel('Pieces').fill('22');
  await form.getByLabel('Linehaul').fill(linehaul);
  await form.getByLabel('Fuel surcharge').fill('250');
  await expect(form.getByLabel('Rate summary')).toContainText('Miles ≈ ');
  await p.getByRole('button', { name: 'Save load' }).click();
  await expect(p.getByRole('heading', { name: /^Load L1000\d\d$/ })).toBeVisible();
}

async function step(p: Page, button: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, submit = button) {
  await p.getByRole('button', { name: button, exact: true }).click();
  const dialog = p.getByRole('dialog');
  await fill?.(dialog);
  await dialog.getByRole('button', { name: submit, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('a dispatcher enters a load, sees ranked carriers with reasons, is refused an expired carrier, books a compliant one and tracks it to delivered', async () => {
  await enterLoad(page, 'Acme Foods Inc.', '1500');
  await expect(page.getByRole('heading', { name: 'Load L100001' })).toBeVisible();
  await expect(page.getByLabel('Load summary')).toContainText('Dallas, TX → Oklahoma City, OK');
  await expect(page.getByLabel('Load summary')).toContainText('$1,750.00');
  await shot(page, 'loads-01-new-load');

  await page.getByRole('button', { name: 'Book carrier' }).click();
  const dialog = page.getByRole('dialog');
  const ranked = dialog.getByRole('table', { name: 'Ranked carriers' });
  await expect(ranked.getByRole('row').nth(1)).toContainText('Red River Trucking LLC');
  await expect(ranked.getByRole('row').nth(1)).toContainText('Serves TX and OK');
  await expect(ranked.getByRole('row').nth(2)).toContainText('Panhandle Freight');
  await expect(ranked.getByRole('row').nth(2)).toContainText('Serves TX only');
  const excluded = dialog.getByRole('table', { name: 'Carriers that may not haul this load' });
  await expect(excluded).toContainText('Lapsed Lines LLC');
  await expect(excluded).toContainText(`Auto liability insurance expired ${day(-10)}, before pickup on ${day(3)}`);
  await shot(page, 'loads-02-ranked-carriers');

  await dialog.getByRole('combobox', { name: 'Carrier' }).fill('Lapsed');
  await page.getByRole('option', { name: 'Lapsed Lines LLC' }).click();
  const before = host.counts();
  await dialog.getByRole('button', { name: 'Book Lapsed Lines LLC' }).click();
  await expect(dialog.getByRole('alert')).toContainText("Lapsed Lines LLC can't haul L100001: Auto liability insurance expired");
  expect(host.counts()).toEqual(before);
  await shot(page, 'loads-03-refused-expired-insurance');

  await dialog.getByRole('button', { name: 'Choose Red River Trucking LLC' }).click();
  await dialog.getByLabel('Carrier rate (all in)').fill('1400');
  await dialog.getByRole('button', { name: 'Book Red River Trucking LLC' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Load summary')).toContainText('Red River Trucking LLC');
  await expect(page.getByLabel('Load summary')).toContainText('$350.00');

  await step(page, 'Dispatch');
  await step(page, 'Picked up');
  await step(page, 'Check call', async (d) => {
    await d.getByLabel('City').fill('Ardmore');
    await d.getByRole('combobox', { name: 'State' }).fill('OK');
    await page.getByRole('option', { name: 'OK · Oklahoma' }).click();
    await d.getByLabel('ETA at delivery (receiver\'s local time)').fill(at(4, 11));
  }, 'Log check call');
  await expect(page.getByRole('button', { name: 'Check call' })).toBeVisible();
  await step(page, 'Check call', async (d) => {
    await d.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Delayed' }).click();
    await d.getByLabel('ETA at delivery (receiver\'s local time)').fill(at(4, 19));
    await d.getByLabel('Note').fill('Stuck behind a wreck on I-35');
  }, 'Log check call');
  await expect(page.getByText('Late', { exact: true })).toBeVisible();
  await shot(page, 'loads-04-late-after-check-call');

  await page.getByRole('link', { name: '← Dispatch board' }).click();
  const board = page.getByRole('grid', { name: 'Dispatch board' });
  await expect(board.getByRole('row').filter({ hasText: 'L100001' })).toContainText('Late');
  await page.getByLabel('Late only').check();
  await expect(page.getByText('1 row')).toBeVisible();
  await shot(page, 'loads-05-board-late');
  await board.getByRole('row').filter({ hasText: 'L100001' }).click();

  await step(page, 'Delivered');
  await expect(page.getByRole('heading', { name: 'Load L100001' })).toBeVisible();
  await expect(page.getByText('Delivered', { exact: true }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByLabel('Tracking timeline');
  for (const entry of ['Entered', 'Booked', 'Dispatched', 'Picked up', 'Check call · Delayed', 'Delivered']) {
    await expect(timeline.getByText(entry, { exact: true })).toBeVisible();
  }
  await expect(timeline).toContainText('Stuck behind a wreck on I-35');
  await expect(timeline).toContainText('Booked with Red River Trucking LLC at $1,400.00');
  await shot(page, 'loads-06-timeline');
});

test('a load over the credit limit is refused, then booked after a controller records an override', async ({ browser }) => {
  await page.getByRole('link', { name: '← Dispatch board' }).click();
  await enterLoad(page, 'Tight Credit Co', '3000');
  const loadUrl = page.url();
  await page.getByRole('button', { name: 'Book carrier' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Choose Red River Trucking LLC' }).click();
  await dialog.getByRole('button', { name: 'Book Red River Trucking LLC' }).click();
  await expect(dialog.getByRole('alert')).toContainText('over its $2,000.00 credit limit');
  await expect(dialog.getByRole('alert')).toContainText('A controller can record a credit override with a reason');
  await shot(page, 'loads-07-credit-refused');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: 'Credit override' })).toHaveCount(0);

  const controller = await signedIn(browser, CONTROLLER);
  await controller.goto(loadUrl.replace(/\?key=[^#]*/, ''));
  await expect(controller.getByRole('heading', { name: /^Load L1000\d\d$/ })).toBeVisible();
  await controller.getByRole('button', { name: 'Credit override' }).click();
  const override = controller.getByRole('dialog');
  await override.getByLabel('Reason for the override').fill('Paid every invoice early for two years; CFO approved');
  await shot(controller, 'loads-08-credit-override');
  await override.getByRole('button', { name: 'Approve override' }).click();
  await expect(override).toBeHidden();
  await expect(controller.getByText('Credit override on file')).toBeVisible();
  await controller.context().close();

  await expect(page.getByText('Credit override on file')).toBeVisible();
  await page.getByRole('button', { name: 'Book carrier' }).click();
  await dialog.getByRole('button', { name: 'Choose Red River Trucking LLC' }).click();
  await dialog.getByRole('button', { name: 'Book Red River Trucking LLC' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Load summary')).toContainText('Red River Trucking LLC');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByLabel('Tracking timeline')).toContainText('Paid every invoice early for two years; CFO approved');
  await shot(page, 'loads-09-booked-after-override');
});

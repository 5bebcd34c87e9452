import { expect, test, type Browser, type Page } from '@playwright/test';
import { shot, startWebHost, type RunningHost } from './support/web-host.ts';

test.describe.configure({ mode: 'serial' });

let host: RunningHost;
let page: Page;

const ADMIN = { name: 'Ada Admin', email: 'ada@lonestar.test', password: 'correct horse battery' };
const VIEWER = { name: 'Vic Viewer', email: 'vic@lonestar.test', password: 'viewer password 1' };

test.beforeAll(async ({ browser }) => {
  host = await startWebHost();
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.context().close();
  await host.stop();
});

/** A command sent through the page's bridge as a screen would send it, past the form's own checks. */
function invokeFromPage(p: Page, name: string, input: unknown): Promise<unknown> {
  return p.evaluate(async ([n, i]) => {
    if (!window.notchify) throw new Error('no bridge');
    return window.notchify.invoke(n, i);
  }, [name, input] as const);
}

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password', { exact: true }).fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

test('first run creates the workspace and its administrator', async () => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Notchify' })).toBeVisible();
  await shot(page, 'foundation-01-first-run');
  await page.getByLabel('Company name').fill('Lone Star Logistics');
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  // The dispatch board is home; customers are one click (or Alt+2) away.
  await expect(page.getByRole('heading', { name: 'Dispatch board' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Account: ${ADMIN.name}` })).toBeVisible();
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await expect(page.getByText('No customers yet')).toBeVisible();
  expect(host.counts().users).toBe(1);
  await shot(page, 'foundation-02-customers-empty');
});

test('a customer with a bad email shows the field error and writes nothing; fixed, it is saved and listed', async () => {
  await page.getByRole('button', { name: 'New customer' }).click();
  const form = page.getByRole('form', { name: 'Customer details' });
  await form.getByLabel('Company name').fill('Acme Foods Inc.');
  await form.getByLabel('Contact name').fill('Rita Ruiz');
  await form.getByLabel('Phone').fill('(214) 555-0142');
  await form.getByLabel('Email', { exact: true }).fill('ap@acmefoods');
  await form.getByLabel('Billing email').fill('invoices@acmefoods.test');
  const billing = form.getByRole('group', { name: 'Billing address' });
  await billing.getByLabel('Street').fill('100 Commerce St');
  await billing.getByLabel('City').fill('Dallas');
  await billing.getByRole('combobox', { name: 'State' }).fill('TX');
  await page.getByRole('option', { name: 'TX · Texas' }).click();
  await billing.getByLabel('ZIP').fill('75202');
  await form.getByRole('button', { name: 'Add contact' }).click();
  await form.getByLabel('Contact 1 name').fill('Tom Paige');
  await form.getByLabel('Contact 1 title').fill('AP manager');
  await form.getByLabel('Contact 1 email').fill('tom@acmefoods.test');

  const before = host.counts();
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(form.getByText('Enter a valid email address, like name@company.com')).toBeVisible();
  await shot(page, 'foundation-03-customer-bad-email');
  expect(host.counts()).toEqual(before);

  // The form's check stopped that one; the router checks on its own, whatever the screen sends.
  const refused = await invokeFromPage(page, 'customers.create', {
    companyName: 'Acme Foods Inc.',
    contactName: 'Rita Ruiz',
    email: 'ap@acmefoods',
    billingEmail: 'invoices@acmefoods.test',
    billingAddress: { line1: '100 Commerce St', city: 'Dallas', state: 'TX', zip: '75202' },
    paymentTerms: 'NET_30',
  });
  expect(refused).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION', fields: { email: 'Enter a valid email address, like name@company.com' } },
  });
  expect(host.counts()).toEqual(before);

  await form.getByLabel('Email', { exact: true }).fill('ap@acmefoods.test');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Foods Inc.' })).toBeVisible();
  await expect(page.getByText('Acme Foods Inc. was added')).toBeVisible();
  await expect(form.getByLabel('Contact 1 name')).toHaveValue('Tom Paige');
  const after = host.counts();
  expect(after.customers).toBe(before.customers + 1);
  expect(after.outbox).toBe(before.outbox + 1);
  await shot(page, 'foundation-04-customer-saved');

  await page.getByRole('link', { name: '← Customers' }).click();
  const grid = page.getByRole('grid', { name: 'Customers' });
  await expect(grid.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toBeVisible();
  await expect(grid.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toContainText('Dallas');
  await shot(page, 'foundation-05-customers-list');

  // Payment terms filter, next to the status filter: Acme is on the default Net 30 terms.
  const terms = page.getByRole('combobox', { name: 'Payment terms filter' });
  await terms.click();
  await page.getByRole('option', { name: 'Net 60' }).click();
  await expect(terms).toHaveValue('Net 60');
  await expect(page.getByText('Nothing matches')).toBeVisible();
  await expect(grid.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toHaveCount(0);
  await terms.click();
  await page.getByRole('option', { name: 'Net 30' }).click();
  await expect(grid.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toBeVisible();
  await expect(page.getByText(/^1 row/)).toBeVisible();
  await shot(page, 'foundation-06-customers-terms-filter');
  await page.getByRole('button', { name: 'Clear payment terms filter' }).click();
  await expect(terms).toHaveValue('');
  await expect(grid.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toBeVisible();
});

test('a carrier with an invalid routing number is refused, then saved with a valid one', async () => {
  await page.getByRole('link', { name: /^Carriers/ }).click();
  await expect(page.getByText('No carriers yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add your first carrier' })).toBeVisible();
  await shot(page, 'foundation-07-carriers-empty');
  await page.getByRole('button', { name: 'New carrier' }).click();
  const form = page.getByRole('form', { name: 'Carrier details' });
  await form.getByLabel('Company name').fill('Red River Trucking LLC');
  await form.getByLabel('Contact name').fill('Sam Cole');
  await form.getByLabel('Phone').fill('405-555-0199');
  await form.getByLabel('Email', { exact: true }).fill('dispatch@redriver.test');
  await form.getByLabel('MC number').fill('MC-123456');
  await form.getByLabel('USDOT number').fill('2345678');
  await form.getByRole('combobox', { name: 'Equipment types' }).click();
  await page.getByRole('option', { name: 'Dry van' }).click();
  await page.getByRole('option', { name: 'Reefer' }).click();
  await page.keyboard.press('Escape');
  const office = form.getByRole('group', { name: 'Office address' });
  await office.getByLabel('Street').fill('9 Depot Rd');
  await office.getByLabel('City').fill('Oklahoma City');
  await office.getByRole('combobox', { name: 'State' }).fill('OK');
  await page.getByRole('option', { name: 'OK · Oklahoma' }).click();
  await office.getByLabel('ZIP').fill('73102');
  await form.getByRole('button', { name: 'Add policy' }).click();
  await form.getByLabel('Policy 1 insurer').fill('Great West Casualty');
  await form.getByLabel('Policy 1 number').fill('AL-2027-001');
  await form.getByLabel('Policy 1 expires').fill('2027-06-30');
  await form.getByLabel("Add the carrier's bank account now").check();
  await form.getByLabel('Routing number').fill('021000022');
  await form.getByLabel('Account number').fill('000123456789');

  const before = host.counts();
  await page.getByRole('button', { name: 'Save carrier' }).click();
  await expect(form.getByText('This routing number fails its check digit; check it against the voided check')).toBeVisible();
  await shot(page, 'foundation-08-carrier-bad-routing');
  expect(host.counts()).toEqual(before);

  const refused = await invokeFromPage(page, 'carriers.create', {
    companyName: 'Red River Trucking LLC',
    contactName: 'Sam Cole',
    email: 'dispatch@redriver.test',
    mcNumber: 'MC-123456',
    dotNumber: '2345678',
    equipmentTypes: ['DRY_VAN'],
    bankAccount: { routingNumber: '021000022', accountNumber: '000123456789', accountType: 'CHECKING', holderName: 'Red River Trucking LLC' },
  });
  expect(refused).toMatchObject({
    ok: false,
    error: {
      code: 'VALIDATION',
      fields: { 'bankAccount.routingNumber': 'This routing number fails its check digit; check it against the voided check' },
    },
  });
  expect(host.counts()).toEqual(before);

  await form.getByLabel('Routing number').fill('021000021');
  await page.getByRole('button', { name: 'Save carrier' }).click();
  await expect(page.getByRole('heading', { name: 'Red River Trucking LLC' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Bank account on file' }).or(page.getByLabel('Bank account on file'))).toContainText('••••6789');
  expect(host.counts().carriers).toBe(before.carriers + 1);
  await shot(page, 'foundation-09-carrier-saved');
});

test('quick search finds the customer and the carrier', async () => {
  await page.getByRole('link', { name: '← Carriers' }).click();
  const carriers = page.getByRole('grid', { name: 'Carriers' });
  await page.getByLabel('Quick search').fill('123456');
  await expect(carriers.getByRole('row').filter({ hasText: 'Red River Trucking LLC' })).toBeVisible();
  await page.getByLabel('Quick search').fill('no such carrier');
  await expect(page.getByText('Nothing matches')).toBeVisible();
  await page.getByLabel('Quick search').fill('red river');
  await expect(carriers.getByRole('row').filter({ hasText: 'MC-123456' })).toBeVisible();
  await shot(page, 'foundation-10-carriers-search');

  // Contact, email and phone start hidden; the Columns menu shows them.
  const row = carriers.getByRole('row').filter({ hasText: 'Red River Trucking LLC' });
  await expect(carriers.getByRole('columnheader', { name: 'Sort by Email' })).toHaveCount(0);
  await expect(row).not.toContainText('dispatch@redriver.test');
  await page.getByRole('button', { name: 'Columns' }).click();
  const menu = page.getByRole('group', { name: 'Columns to show' });
  for (const column of ['Contact', 'Email', 'Phone']) {
    const box = menu.getByRole('checkbox', { name: column, exact: true });
    await expect(box).not.toBeChecked();
    // The saved preference re-renders the menu a moment after the click, so click, then wait for it.
    await box.click();
    await expect(box).toBeChecked();
  }
  await shot(page, 'foundation-11-carriers-columns');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  for (const column of ['Contact', 'Email', 'Phone']) {
    await expect(carriers.getByRole('columnheader', { name: `Sort by ${column}` })).toBeVisible();
  }
  await expect(row).toContainText('Sam Cole');
  await expect(row).toContainText('dispatch@redriver.test');
  await expect(row).toContainText('405-555-0199');
  await page.getByRole('button', { name: 'Sort by Email' }).click();
  await expect(carriers.getByRole('columnheader', { name: 'Sort by Email' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(row).toBeVisible();

  await page.getByRole('link', { name: /^Customers/ }).click();
  const customers = page.getByRole('grid', { name: 'Customers' });
  await page.getByLabel('Quick search').fill('acme dallas');
  await expect(customers.getByRole('row').filter({ hasText: 'Acme Foods Inc.' })).toBeVisible();
  await page.getByLabel('Quick search').press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Acme Foods Inc.' })).toBeVisible();
});

test('a viewer sees no edit buttons, and the router refuses the command anyway', async ({ browser }) => {
  await page.getByRole('link', { name: 'Users and roles' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel('Name').fill(VIEWER.name);
  await dialog.getByLabel('Email').fill(VIEWER.email);
  await dialog.getByLabel('First password').fill(VIEWER.password);
  await dialog.getByLabel('Viewer').check();
  await shot(page, 'foundation-12-add-user');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(VIEWER.email);
  await shot(page, 'foundation-13-users');

  const viewer = await newSignedInPage(browser, VIEWER, 'foundation-14-sign-in');
  await expect(viewer.getByRole('heading', { name: 'Dispatch board' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'New load' })).toHaveCount(0);
  await viewer.getByRole('link', { name: /^Customers/ }).click();
  await expect(viewer.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'New customer' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Users and roles' })).toHaveCount(0);
  await viewer.getByRole('grid', { name: 'Customers' }).getByRole('row').filter({ hasText: 'Acme Foods Inc.' }).click();
  await expect(viewer.getByRole('heading', { name: 'Acme Foods Inc.' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
  await expect(viewer.getByText('your role does not allow changes')).toBeVisible();
  await shot(viewer, 'foundation-15-viewer-customer');

  const before = host.counts();
  const reply = await invokeFromPage(viewer, 'customers.create', {
    companyName: 'Sneaky Co',
    contactName: 'X',
    email: 'x@sneaky.test',
    billingEmail: 'x@sneaky.test',
    billingAddress: { line1: '1 A St', city: 'Austin', state: 'TX', zip: '78701' },
    creditLimitCents: 0,
    paymentTerms: 'NET_30',
  });
  expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
  expect(host.counts()).toEqual(before);

  // The carrier's page is read-only too: no edit, status or bank-account buttons.
  await viewer.getByRole('link', { name: /^Carriers/ }).click();
  await expect(viewer.getByRole('button', { name: 'New carrier' })).toHaveCount(0);
  await viewer.getByRole('grid', { name: 'Carriers' }).getByRole('row').filter({ hasText: 'Red River Trucking LLC' }).click();
  await expect(viewer.getByRole('heading', { name: 'Red River Trucking LLC' })).toBeVisible();
  await expect(viewer.getByText('You can view this carrier; your role does not allow changes.')).toBeVisible();
  await expect(viewer.getByRole('group', { name: 'Bank account on file' }).or(viewer.getByLabel('Bank account on file'))).toContainText('••••6789');
  for (const name of ['Save changes', 'Deactivate', 'Put on hold', 'Add policy', 'Change bank account', 'Remove bank account', 'Show full number']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(viewer.getByRole('form', { name: 'Carrier details' }).getByLabel('Company name')).not.toBeEditable();
  await shot(viewer, 'foundation-16-viewer-carrier');
  await viewer.context().close();
});

async function newSignedInPage(browser: Browser, who: { email: string; password: string }, screenshot?: string): Promise<Page> {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(host.url);
  await expect(p.getByRole('form', { name: 'Sign in' })).toBeVisible();
  if (screenshot) await shot(p, screenshot);
  await signIn(p, who);
  return p;
}

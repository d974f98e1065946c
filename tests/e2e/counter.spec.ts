import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The counter, keyboard only: a cashier opens a shift, takes a bill payment and a prepaid vend,
 * prints both receipts (and saves one as PDF through the print stylesheet), closes the shift
 * short, and a supervisor approves the close. Runs on the fresh demo store.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
}

test('cashier shift: bill payment, prepaid vend, receipts, short close approved by a supervisor', async ({ browser }, testInfo) => {
  const cashierContext = await browser.newContext();
  const cashier = await cashierContext.newPage();
  // Count print requests instead of opening the dialog (headless has no printer).
  await cashier.addInitScript(() => {
    (window as unknown as { __prints: number }).__prints = 0;
    window.print = () => {
      (window as unknown as { __prints: number }).__prints += 1;
    };
  });
  const prints = () => cashier.evaluate(() => (window as unknown as { __prints: number }).__prints);

  await signIn(cashier, 'cashier', '/energy/counter');
  const float = cashier.getByLabel('Opening float');
  await expect(float).toBeFocused();
  await cashier.keyboard.type('500');
  await cashier.keyboard.press('Enter');

  // A bill payment: search, Enter, amount, F1 for cash, Enter.
  const search = cashier.getByLabel('Find account');
  await expect(search).toBeFocused();
  await cashier.keyboard.type('ACC-10300');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByLabel('Account card')).toContainText('ACC-10300');
  await expect(cashier.getByLabel('Account card')).toContainText('Bill payment');
  await expect(cashier.getByLabel('Amount')).toBeFocused();
  await cashier.keyboard.type('100');
  await cashier.keyboard.press('F1');
  await cashier.keyboard.press('Enter');
  const receipt = cashier.getByLabel('Receipt');
  await expect(receipt).toContainText('Payment receipt R-');
  await expect(receipt).toContainText('Settled INV-');
  await expect.poll(prints).toBe(1);
  await cashier.emulateMedia({ media: 'print' });
  const pdf = path.join(testInfo.outputDir, 'payment-receipt.pdf');
  await cashier.pdf({ path: pdf, width: '80mm', height: '200mm' });
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  await cashier.emulateMedia({ media: 'screen' });

  // A prepaid vend: Esc for the next customer, then the same keys.
  await cashier.keyboard.press('Escape');
  await expect(search).toBeFocused();
  await cashier.keyboard.type('ACC-10001');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByLabel('Account card')).toContainText('Prepaid vend');
  await expect(cashier.getByLabel('Amount')).toBeFocused();
  await cashier.keyboard.type('50');
  await expect(cashier.getByLabel('Vend preview')).toContainText('kWh');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByLabel('Token')).toHaveText(/^\d{4} \d{4} \d{4} \d{4} \d{4}$/);
  await expect(receipt).toContainText('DEVELOPMENT TOKEN');
  await expect.poll(prints).toBe(2);

  // Close short: 650.00 expected in cash (500 float + 100 + 50), 600.00 counted.
  await cashier.keyboard.press('Escape');
  await cashier.keyboard.press('F9');
  await expect(cashier.getByLabel('Counted cash')).toBeFocused();
  await cashier.keyboard.type('600');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByRole('status')).toContainText('Waiting for a supervisor');

  // The supervisor approves it from the approvals inbox.
  const supervisorContext = await browser.newContext();
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, 'supervisor', '/approvals?box=waiting');
  await supervisor.getByText(/Close shift #\d+ of Cara Cashier/).first().click();
  await supervisor.getByLabel('Reason for your decision').fill('Counted again: 50.00 short, explained');
  await supervisor.getByRole('button', { name: 'Approve and run' }).click();
  await expect(supervisor.getByText('Approved').first()).toBeVisible();

  await cashier.reload();
  await expect(cashier.getByLabel('Opening float')).toBeVisible();
  await cashierContext.close();
  await supervisorContext.close();
});

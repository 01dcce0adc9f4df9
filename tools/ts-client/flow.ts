// The README's flow through a client generated from the served schema (@hey-api/openapi-ts),
// compiled with `tsc --strict`: run by tests/clients/test_typescript_client.py against a live
// server (NIAGARA_URL, NIAGARA_TOKEN). Prints what it read as JSON; any non-2xx throws.
import { client } from "./generated/client.gen.js";
import {
  completeStep,
  createCustomer,
  createLocation,
  createManufacturer,
  createMultipleBatches,
  createPart,
  createProgram,
  createProject,
  createQueue,
  createWorkOrder,
  fetchAllBatchesForQueue,
  fetchMe,
  fetchWorkOrderById,
  takeNextCycle,
} from "./generated/index.js";

// Node's globals without @types/node: the one this script reads.
declare const process: { env: Record<string, string | undefined> };

type Outcome<T> = { data?: T; error?: unknown; response?: Response };

async function ok<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response?.ok || data === undefined) {
    throw new Error(`${response?.url}: ${response?.status} ${JSON.stringify(error)}`);
  }
  return data;
}

async function done(call: Promise<Outcome<unknown>>): Promise<number> {
  const { error, response } = await call;
  if (!response?.ok) {
    throw new Error(`${response?.url}: ${response?.status} ${JSON.stringify(error)}`);
  }
  return response.status;
}

const baseUrl = process.env.NIAGARA_URL;
const token = process.env.NIAGARA_TOKEN;
if (!baseUrl || !token) {
  throw new Error("NIAGARA_URL and NIAGARA_TOKEN are required");
}
client.setConfig({ baseUrl, auth: () => token });

const me = await ok(fetchMe());
const customer = await ok(
  createCustomer({
    body: {
      label: "Northwind (TypeScript)",
      allowed_statuses: [
        { status: "Pending", category: "PENDING" },
        { status: "Imaging", category: "IN_PROGRESS" },
        { status: "Blocked", category: "BLOCKED" },
        { status: "Shipped", category: "COMPLETE" },
      ],
    },
  }),
);
const program = await ok(
  createProgram({
    body: { label: "North-east stores", customer: { customer_id: customer.customer_id } },
  }),
);
const project = await ok(
  createProject({ body: { label: "New York stores", program: { program_id: program.program_id } } }),
);
const location = await ok(
  createLocation({
    body: {
      label: "Albany DC",
      location_type: "warehouse",
      address: {
        country: "USA",
        administrative_area: "NY",
        locality: "Menands",
        postal_code: "12204",
        thoroughfare: "431 Broadway",
      },
    },
  }),
);
const maker = await ok(createManufacturer({ body: { label: "Acme Devices" } }));
await ok(
  createPart({
    body: {
      label: "iPad 10th gen",
      customer: { customer_id: customer.customer_id },
      manufacturer: { manufacturer_id: maker.manufacturer_id, part_number: "MPQ03" },
      serial_prefix: "DMP",
    },
  }),
);
const workOrder = await ok(
  createWorkOrder({
    body: {
      label: "20 iPads",
      project: { project_id: project.project_id },
      due_date: "2026-03-31T00:00:00Z",
      cycles: [
        {
          needed: 20,
          work_flow: {
            label: "Provision iPad",
            schema_version: "1.0",
            applies_to: "UNIT",
            starts_at: "unbox",
            steps: {
              unbox: {
                step_type: "user",
                label: "Unbox",
                goto: "done",
                options: {
                  component: "follow-pdf-instructions",
                  payload: { attachment_id: "guide" },
                },
              },
              done: { step_type: "success", label: "Done" },
            },
          },
        },
      ],
    },
  }),
);
const queue = await ok(
  createQueue({
    body: { label: "Fast Lane", priority: 10, location: { location_id: location.location_id } },
  }),
);
const planned = await done(
  createMultipleBatches({
    body: {
      total: 2,
      number_cycles: 10,
      work_order: { work_order_id: workOrder.work_order_id },
      queue: { queue_id: queue.queue_id },
      users: [{ user_id: me.user_id }],
    },
  }),
);
const batches = await ok(fetchAllBatchesForQueue({ path: { queue_id: queue.queue_id } }));
const batch = batches._embedded["nter:batches"][0];
const run = await ok(
  takeNextCycle({
    path: { batch_id: batch.batch_id },
    body: { raw_serial_number: "DMPF9FXK1ABC" },
  }),
);
const closed = await ok(
  completeStep({
    path: { context_id: run.context_id, step_slug: "unbox" },
    body: { close_step: { step: "unbox", attachment_id: "guide" } },
  }),
);
// The fail body through the same operation, as plain JSON (one media type per call).
const second = await ok(
  takeNextCycle({
    path: { batch_id: batch.batch_id },
    body: { raw_serial_number: "DMPF9FXK2DEF" },
  }),
);
const failed = await ok(
  completeStep({
    path: { context_id: second.context_id, step_slug: "unbox" },
    body: { type: "fail", step: "unbox" },
  }),
);
const counted = await ok(fetchWorkOrderById({ path: { work_order_id: workOrder.work_order_id } }));

console.log(
  JSON.stringify({
    planned,
    batches: batches.total_count,
    closed: closed.status,
    failed: failed.status,
    line: counted.cycles?.[0],
  }),
);

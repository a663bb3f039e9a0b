// The explorer's only way to the data: the public GraphQL API at POST /graphql.
//
// Each operation is a persisted document (Apollo's protocol): the page sends the SHA-256 of a
// document the server registered at start-up, never the text. `/explore/documents.json` names
// each operation's hash. If a server does not know a hash (an older instance behind the same
// load balancer, say), the page sends the document once with its hash, as the protocol says,
// and the hash alone works from then on.

let hashes = null;

async function documentHashes() {
  if (!hashes) {
    hashes = fetch("/explore/documents.json").then((response) => {
      if (!response.ok) throw new Error(`the explorer's documents are missing (HTTP ${response.status})`);
      return response.json();
    });
  }
  return hashes;
}

/** An answer that came back with GraphQL errors; `code` is the first error's stable code. */
export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join("; "));
    this.code = errors[0]?.extensions?.code ?? "UNKNOWN";
    this.errors = errors;
  }
}

async function post(body) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
  return answer;
}

const answers = new Map();

/**
 * Runs the operation `name` with `variables` and returns its `data`. An answer is kept for
 * the life of the page, so going back to a view asks the API nothing again.
 */
export function query(name, variables = {}) {
  const key = JSON.stringify([name, variables]);
  if (!answers.has(key)) {
    const answer = run(name, variables);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
  }
  return answers.get(key);
}

async function run(name, variables) {
  const sha256Hash = (await documentHashes())[name];
  if (!sha256Hash) throw new Error(`no document named ${name}`);
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  let answer = await post({ operationName: name, variables, extensions });
  if (answer.errors?.[0]?.extensions?.code === "PERSISTED_QUERY_NOT_FOUND") {
    const text = await fetch(`/explore/assets/documents/${name}.graphql`).then((r) => r.text());
    answer = await post({ operationName: name, query: text, variables, extensions });
  }
  if (answer.errors?.length) throw new ApiError(answer.errors);
  return answer.data;
}

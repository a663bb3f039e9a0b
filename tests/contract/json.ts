// The TypeScript type of the schema's `JSON` scalar (RFC 8259: any JSON value), which
// codegen.yml maps it to, so that generated code has no `any` or `unknown` for a scalar.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// What a frontend does with the generated types: narrow each union and interface on
// `__typename` and use each member's fields with their own types. `tsc --strict` type-checks
// this against the types graphql-codegen generated from the SDL and `operations.graphql`, so
// a field renamed, retyped or made nullable in the schema breaks this file as it would break
// a client's build.

import type {
  AnyEntityQuery,
  AnyNodeQuery,
  SearchEverythingQuery,
  TimelineSubjectsQuery,
} from "./generated/types";

type Hit = SearchEverythingQuery["search"]["nodes"][number];

export function hitLine(hit: Hit): string {
  const node = hit.node;
  switch (node.__typename) {
    case "Claim":
      return `${node.quote} (${node.source.title}, ${node.certainty})`;
    case "Source":
      return `${node.title}, ${node.published?.value ?? "undated"}`;
    case "Actor":
      return `${node.name} (${node.actorKind})`;
    case "Law":
      return `${node.name}${node.deathPenalty ? ", death penalty" : ""}, ${node.enacted?.value ?? "undated"}`;
    case "Measure":
    case "Event":
    case "Recommendation":
      return node.name;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

type TimelineNode = TimelineSubjectsQuery["timeline"]["nodes"][number];

export function timelineLine(item: TimelineNode): string {
  const subject = item.subject;
  const when = `${item.date.value} (${item.date.precision})`;
  switch (subject.__typename) {
    case "Claim":
      return `${when}: ${subject.statement}`;
    case "Law":
      return `${when}: ${subject.name}, ${subject.jurisdiction?.name ?? "no jurisdiction"}`;
    case "Measure":
      return `${when}: ${subject.name}, ${subject.status}`;
    case "Event":
      return `${when}: ${subject.name}`;
    default: {
      const unreachable: never = subject;
      return unreachable;
    }
  }
}

export function entityLine(data: AnyEntityQuery): string {
  const entity = data.entity;
  if (!entity) return "not found";
  const base: string = `${entity.name}: ${entity.description}`;
  switch (entity.__typename) {
    case "Actor":
      return `${base} (${entity.actorKind})`;
    case "Law":
      return `${base}, ${entity.provisions.map((p) => `${p.article}: ${p.summary}`).join("; ")}`;
    case "Measure":
      return `${base}, ${entity.status}`;
    default:
      return base;
  }
}

export function nodeLine(data: AnyNodeQuery): string {
  const node = data.node;
  if (!node) return "not found";
  switch (node.__typename) {
    case "Claim":
      return node.quote;
    case "Source":
      return node.title;
    case "Fact":
      return node.statement;
    case "Relation":
      return `${node.type}: ${node.evidence.map((claim) => claim.quote).join(" / ")}`;
    default:
      return `${node.__typename} ${node.name}`;
  }
}

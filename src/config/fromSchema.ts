/**
 * The TypeScript type a JSON Schema describes, computed from the schema object itself (`as const`),
 * so the config's type is never written a second time by hand. Covers the keywords the gateway's
 * schema uses: type, properties, required, default, items, enum, const, anyOf. A property is
 * present in the result when it is `required` or has a `default` (the loader fills defaults);
 * anything else is optional. Everything is readonly: the config is never changed once loaded.
 *
 * Keywords that only narrow a value (pattern, minimum, uniqueItems…) do not change the type.
 */
type Primitive<T> = T extends "string" ? string : T extends "integer" | "number" ? number : T extends "boolean" ? boolean : T extends "null" ? null : never;

type Properties<S> = S extends { readonly properties: infer P } ? P : Record<never, never>;
type RequiredKeys<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;
type DefaultedKeys<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];
type Present<S> = Extract<RequiredKeys<S> | DefaultedKeys<Properties<S>>, keyof Properties<S>>;

type Simplify<T> = { readonly [K in keyof T]: T[K] };

type ObjectOf<S> = Simplify<
  { readonly [K in Present<S>]: FromSchema<Properties<S>[K]> } & { readonly [K in Exclude<keyof Properties<S>, Present<S>>]?: FromSchema<Properties<S>[K]> }
>;

export type FromSchema<S> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly anyOf: readonly (infer A)[] }
      ? A extends unknown
        ? FromSchema<A>
        : never
      : S extends { readonly type: "object" }
        ? ObjectOf<S>
        : S extends { readonly type: "array"; readonly items: infer I }
          ? readonly FromSchema<I>[]
          : S extends { readonly type: infer T }
            ? Primitive<T>
            : unknown;

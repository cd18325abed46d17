WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE EXISTS (SELECT 1
  FROM "comments" AS "t9"
  WHERE "t9"."article" = "t1"."id" AND lower("t9"."body") LIKE lower($2::text))
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3),
"l3" AS (
  SELECT *
  FROM (SELECT "t4"."body" AS "c0", to_char("t4"."created", 'YYYY-MM-DD"T"HH24:MI:SS') AS "c1", "t4"."article" AS "k", row_number() OVER (PARTITION BY "t4"."article"
  ORDER BY "t4"."id" ASC NULLS LAST) AS "o"
  FROM "comments" AS "t4"
  WHERE "t4"."article" IN (SELECT "c1"
  FROM "l0")) AS "w6"
  WHERE "w6"."o" <= $1) SELECT COALESCE(json_agg("y10"."v"
  ORDER BY "y10"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'comments', COALESCE("r7"."v", '[]'::json)) AS "v", "x2"."s0"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT "z8"."k", json_agg("z8"."v"
  ORDER BY "z8"."o" ASC NULLS LAST) AS "v"
  FROM (SELECT json_build_object(E'body', "x5"."c0", E'created', "x5"."c1") AS "v", "x5"."k", "x5"."o"
  FROM "l3" AS "x5") AS "z8"
  GROUP BY "z8"."k") AS "r7" ON "r7"."k" = "x2"."c1") AS "y10"
-- params: [100,"%nice%",100]

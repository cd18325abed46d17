WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."author" AS "c1", (SELECT "t8"."name"
  FROM "authors" AS "t8"
  WHERE "t8"."id" = "t1"."author") AS "s0", "t1"."id" AS "s1"
  FROM "articles" AS "t1"
  WHERE EXISTS (SELECT 1
  FROM "authors" AS "t7"
  WHERE "t7"."id" = "t1"."author" AND "t7"."name" LIKE $1::text)
  ORDER BY "s0" ASC NULLS LAST, "s1" ASC NULLS LAST
  LIMIT $2),
"l3" AS (
  SELECT "t4"."name" AS "c0", "t4"."email" AS "c1", "t4"."id" AS "k"
  FROM "authors" AS "t4"
  WHERE "t4"."id" = ANY(ARRAY(SELECT "c1"
  FROM "l0"))) SELECT COALESCE(json_agg("y9"."v"
  ORDER BY "y9"."s0" ASC NULLS LAST, "y9"."s1" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'author', "r6"."v") AS "v", "x2"."s0", "x2"."s1"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT json_build_object(E'name', "x5"."c0", E'email', "x5"."c1") AS "v", "x5"."k"
  FROM "l3" AS "x5") AS "r6" ON "r6"."k" = "x2"."c1") AS "y9"
-- params: ["A%",100]

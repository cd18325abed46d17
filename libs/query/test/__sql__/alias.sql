WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "c1", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3),
"l3" AS (
  SELECT *
  FROM (SELECT "t4"."tags_id" AS "c0", "t4"."articles_id" AS "k", row_number() OVER (PARTITION BY "t4"."articles_id"
  ORDER BY "t4"."id" ASC NULLS LAST) AS "o"
  FROM "articles_tags" AS "t4"
  WHERE "t4"."articles_id" = ANY(ARRAY(SELECT "c1"
  FROM "l0"))) AS "w10"
  WHERE "w10"."o" <= $1),
"l6" AS (
  SELECT "t7"."name" AS "c0", "t7"."id" AS "k"
  FROM "tags" AS "t7"
  WHERE "t7"."id" = ANY(ARRAY(SELECT "c0"
  FROM "l3"))) SELECT COALESCE(json_agg("y14"."v"
  ORDER BY "y14"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'featured', COALESCE("r11"."v", '[]'::json), E'tags', array_to_json(ARRAY(SELECT "t13"."id"
  FROM "articles_tags" AS "t13"
  WHERE "t13"."articles_id" = "x2"."c1"
  ORDER BY "t13"."id" ASC NULLS LAST
  LIMIT $2))) AS "v", "x2"."s0"
  FROM "l0" AS "x2"
  LEFT JOIN (SELECT "z12"."k", json_agg("z12"."v"
  ORDER BY "z12"."o" ASC NULLS LAST) AS "v"
  FROM (SELECT json_build_object(E'tags_id', "r9"."v") AS "v", "x5"."k", "x5"."o"
  FROM "l3" AS "x5"
  LEFT JOIN (SELECT json_build_object(E'name', "x8"."c0") AS "v", "x8"."k"
  FROM "l6" AS "x8") AS "r9" ON "r9"."k" = "x5"."c0") AS "z12"
  GROUP BY "z12"."k") AS "r11" ON "r11"."k" = "x2"."c1") AS "y14"
-- params: [1,100,100]

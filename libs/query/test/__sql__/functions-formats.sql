WITH "l0" AS (
  SELECT "t1"."id" AS "c0", date_trunc('second', "t1"."published_at") AS "c1", "t1"."rating"::text AS "c2", "t1"."big"::text AS "c3", CASE WHEN "t1"."labels" IS NULL THEN NULL WHEN "t1"."labels" = '' THEN '[]'::json ELSE to_json(string_to_array("t1"."labels", ',')) END AS "c4", CASE WHEN "t1"."secret" IS NULL THEN NULL ELSE '**********' END AS "c5", "t1"."data" AS "c6", (extract(year from "t1"."published_at"))::text AS "c7", (extract(dow from "t1"."published_at"))::text AS "c8", (extract(second from "t1"."published_at"))::text AS "c9", (CASE WHEN jsonb_typeof("t1"."data"::jsonb) = 'array' THEN jsonb_array_length("t1"."data"::jsonb) END)::text AS "c10", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE extract(month from "t1"."published_at") = $1::numeric
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $2) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'published_at', "x2"."c1", E'rating', "x2"."c2", E'big', "x2"."c3", E'labels', "x2"."c4", E'secret', "x2"."c5", E'data', "x2"."c6", E'published_at_year', "x2"."c7", E'published_at_weekday', "x2"."c8", E'published_at_second', "x2"."c9", E'data_count', "x2"."c10") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
-- params: ["3",100]

DELETE
  FROM "articles"
  WHERE "id" = $1
-- params: [7]

DELETE
  FROM "articles"
  WHERE "id" = ANY($1)
-- params: [[7,8]]

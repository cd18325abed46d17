CREATE DATABASE "tessera"
-- params: []

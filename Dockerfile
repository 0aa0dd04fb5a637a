# syntax=docker/dockerfile:1
# One image for the four services; docker-compose.yml picks the service with SPARK_SERVICE.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx tsc -p tsconfig.json --noEmit && bash tools/build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production SPARK_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY tools/runtime ./tools/runtime
USER node
ENV SPARK_SERVICE=gateway
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "const p={gateway:8080,scheduler:8081,executor:8082,projector:8083}[process.env.SPARK_SERVICE];fetch('http://127.0.0.1:'+(process.env['SPARK_'+process.env.SPARK_SERVICE.toUpperCase()+'_PORT']||p)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node --enable-source-maps -r ./tools/runtime/register-paths.js dist/apps/${SPARK_SERVICE}/src/main.js"]

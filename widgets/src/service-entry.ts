// /widgets/callback-service.js: the bus and CallbackService only, for sites that build their own form.
import { install } from "./install";

install();

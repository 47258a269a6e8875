import { placeholderPage } from "../placeholder";

export const dynamic = "force-dynamic";
export default placeholderPage("/availability");
